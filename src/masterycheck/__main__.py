"""Allow ``python -m masterycheck``."""

from masterycheck.cli.app import main

if __name__ == "__main__":
    main()
