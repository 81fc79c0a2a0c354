"""masterycheck: eligibility checker for the NCETM / Maths Hubs Mastery Specialist programmes."""

from masterycheck.version import __version__

__all__ = ["__version__"]
