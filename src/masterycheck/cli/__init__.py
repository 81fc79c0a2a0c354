"""The command line: a thin typer layer over the core."""

import os

# Pydantic looks for plugins by scanning every installed distribution's entry points when the
# first model is built; masterycheck uses none, and the scan is a large share of start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
