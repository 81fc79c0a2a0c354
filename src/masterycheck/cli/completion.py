"""Shell completion of values: programme ids, and field ids (then choices) in ``--answer``.

Typer completes commands and options itself (``--install-completion``, ``--show-completion``
for bash, zsh and fish); ``cli.app`` gives these functions to every command's parameter of
the names in ``COMPLETERS`` as it builds the command. Each runs in the shell's completion
request (the ``_MASTERYCHECK_COMPLETE`` protocol): it reads the criteria folder, and never
fails (a broken criteria file completes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from typer._click.shell_completion import CompletionItem

from masterycheck.errors import InputError

if TYPE_CHECKING:
    from typer._click import Context, Parameter

    from masterycheck.core.fields import Catalogue

__all__ = ["COMPLETERS", "answer_completions", "programme_completions"]

_PATH_MARKS = ("/", "\\", ".", "~")


def _catalogue() -> Catalogue | None:
    from masterycheck.files.criteria import load_catalogue

    try:
        return load_catalogue()
    except (InputError, OSError):
        return None


def programme_completions(incomplete: str) -> list[CompletionItem]:
    """The programme ids that start with ``incomplete``; what looks like a path (or matches
    no id) is left to the shell's file completion."""
    from masterycheck.files.criteria import programme_files

    file_item = CompletionItem(incomplete, type="file")
    if incomplete.startswith(_PATH_MARKS) or any(m in incomplete for m in ("/", "\\")):
        return [file_item]
    try:
        ids = [path.stem for path in programme_files()]
    except OSError:
        ids = []
    found = [CompletionItem(i) for i in ids if i.startswith(incomplete)]
    return found or [file_item]


def answer_completions(incomplete: str) -> list[CompletionItem]:
    """For ``--answer FIELD=VALUE``: before ``=``, the answerable field ids that start with
    ``incomplete`` (as ``FIELD=``, the field's label as help); after it, the field's choices
    (``yes``/``no`` for a yes-or-no field)."""
    catalogue = _catalogue()
    if catalogue is None:
        return []
    field_id, equals, value = incomplete.partition("=")
    if not equals:
        return [
            CompletionItem(f"{field.id}=", help=field.label)
            for field in catalogue.answerable
            if field.id.startswith(field_id)
        ]
    found = catalogue.get(field_id)
    if found is None or found.derived is not None:
        return []
    from masterycheck.core.fields import FieldType

    choices = ["yes", "no"] if found.type is FieldType.YES_NO else list(found.choice_ids)
    return [CompletionItem(f"{field_id}={c}") for c in choices if c.startswith(value)]


def _for_click(
    complete: Callable[[str], list[CompletionItem]],
) -> Callable[[Context, Parameter, str], list[CompletionItem]]:
    def shell_complete(ctx: Context, param: Parameter, incomplete: str) -> list[CompletionItem]:
        return complete(incomplete)

    shell_complete.__doc__ = complete.__doc__
    return shell_complete


#: A parameter's name -> how its values complete (in every command that has it).
COMPLETERS: dict[str, Callable[[Context, Parameter, str], list[CompletionItem]]] = {
    "programme": _for_click(programme_completions),
    "answer": _for_click(answer_completions),
}
