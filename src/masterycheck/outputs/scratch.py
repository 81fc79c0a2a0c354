"""Private temporary files and folders that never outlive the command, however it stops.

Temporary files hold applicants' data (the spool of a screening run, a results file before it
is renamed into place). Each ``with`` block removes its own, but a stop signal can arrive
between the moment a file is created and the moment its ``with`` block is in force. So every
temporary file is created here with the stop signals held back until it is on a list, and the
entry point removes whatever is still on the list when the command ends (``remove_leftovers``).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = [
    "deferred_signals",
    "finished",
    "private_file",
    "private_folder",
    "remove_leftovers",
]

_STOP_SIGNALS = {
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
}
_live: dict[Path, bool] = {}  # path -> is a folder


@contextlib.contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP until the block ends; they are acted on right after."""
    if not hasattr(signal, "pthread_sigmask"):  # not on Windows: nothing to hold
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def private_file(folder: Path, *, prefix: str, suffix: str) -> tuple[int, Path]:
    """Create a new file readable by its owner only (0600); returns its descriptor and path.

    The file is removed by ``remove_leftovers`` unless ``finished`` is called for it first.
    """
    with deferred_signals():
        handle, name = tempfile.mkstemp(dir=folder, prefix=prefix, suffix=suffix)
        path = Path(name)
        _live[path] = False
    return handle, path


@contextlib.contextmanager
def private_folder(*, prefix: str = "masterycheck-") -> Iterator[Path]:
    """A new folder (0700) in the system's temporary folder, removed with its contents."""
    with deferred_signals():
        path = Path(tempfile.mkdtemp(prefix=prefix))
        _live[path] = True
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        finished(path)


def finished(path: Path) -> None:
    """Forget ``path``: it was renamed into place or removed by its owner."""
    _live.pop(path, None)


def remove_leftovers() -> None:
    """Remove every temporary file and folder still on the list (at the command's end)."""
    with deferred_signals():
        for path, is_folder in list(_live.items()):
            if is_folder:
                shutil.rmtree(path, ignore_errors=True)
            else:
                with contextlib.suppress(OSError):
                    path.unlink(missing_ok=True)
            finished(path)
