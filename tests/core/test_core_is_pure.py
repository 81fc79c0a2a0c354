"""The core is pure: it reads no file, touches no terminal and raises no ``InputError`` (its
mistakes in data are ``core.problems.Problem``; the loaders in ``files`` place them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "src" / "masterycheck" / "core"
#: Modules that reach files, the environment, processes or a terminal.
NOT_IN_CORE = frozenset(
    {"io", "os", "pathlib", "shutil", "subprocess", "sys", "tempfile", "masterycheck.errors"}
)
#: Built-ins that read or print.
NOT_CALLED = frozenset({"open", "print", "input"})


def _offences(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            bad = [a.name for a in node.names if a.name in NOT_IN_CORE]
        elif isinstance(node, ast.ImportFrom):
            bad = [node.module] if node.module in NOT_IN_CORE else []
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            bad = [f"{node.func.id}()"] if node.func.id in NOT_CALLED else []
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            bad = [name] if name == "InputError" else []
        else:
            bad = []
        found += [f"{path.name}:{getattr(node, 'lineno', 0)}: {name}" for name in bad]
    return found


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_a_core_module_reads_no_file_and_raises_no_input_error(path: Path) -> None:
    assert _offences(path) == []
