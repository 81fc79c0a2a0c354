"""The command line: a thin typer layer over the core.

Pydantic looks for plugins by scanning every installed distribution's entry points when the
first model is built; masterycheck uses none, so the command line turns them off (a setting
of the user's is kept). Even turned off, the first model imports pydantic's plugin loader,
and with it ``importlib.metadata`` (about 10 ms, a tenth of a command's start-up), only to
learn that there is nothing to load: ``skip_plugin_loader`` stands in for that module while
plugins are off, and hands over to pydantic's own the moment they are turned on.
"""

from __future__ import annotations

import importlib
import os
import sys
import types

#: The setting pydantic reads, and the values of it that turn every plugin off.
PLUGINS_SETTING = "PYDANTIC_DISABLE_PLUGINS"
ALL_OFF = ("__all__", "1", "true")
#: Pydantic's plugin loader: the module ``skip_plugin_loader`` stands in for.
LOADER = "pydantic.plugin._loader"


def _plugins_off() -> bool:
    return os.environ.get(PLUGINS_SETTING) in ALL_OFF


def skip_plugin_loader() -> None:
    """While plugins are off, give pydantic a plugin loader that finds none without importing
    ``importlib.metadata``; once they are on (or for any name but ``get_plugins``), pydantic's
    own loader is imported and used. Nothing is done once pydantic's loader is imported."""
    if LOADER in sys.modules or not _plugins_off():
        return
    stand_in = types.ModuleType(LOADER, "Stands in for pydantic's plugin loader (see cli).")

    def real_loader() -> types.ModuleType:
        if sys.modules.get(LOADER) is stand_in:
            del sys.modules[LOADER]
        return importlib.import_module(LOADER)

    def get_plugins() -> object:
        return () if _plugins_off() else real_loader().get_plugins()

    def getattr_(name: str) -> object:
        if name.startswith("__"):  # the import system asks for __path__: not a package
            raise AttributeError(name)
        return getattr(real_loader(), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = getattr_  # type: ignore[method-assign]
    sys.modules[LOADER] = stand_in


os.environ.setdefault(PLUGINS_SETTING, "__all__")
skip_plugin_loader()
