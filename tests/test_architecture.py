"""The package layout is the architecture: no module imports from a higher layer.

Layers, lowest first: the shared base (``errors``, ``protected_files``); ``core`` (pure: no
files, no terminal); ``files`` (loading what people write) and ``outputs`` (writing safely),
which do not import each other; ``batch`` (exports, mapping, the screening run); ``reporters``;
the Python API (``api``, which ``import masterycheck`` offers); ``cli``, built on it. Imports
inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "masterycheck"
LAYERS = {
    "errors": 0,
    "protected_files": 0,
    "version": 0,
    "core": 1,
    "files": 2,
    "outputs": 2,
    "batch": 3,
    "reporters": 4,
    "api": 5,
    "cli": 6,
    "__init__": 7,
    "__main__": 7,
}
SIBLINGS_APART = {frozenset({"files", "outputs"})}


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "masterycheck":
                found += [(node.lineno, f"masterycheck.{alias.name}") for alias in node.names]
            elif node.module.startswith("masterycheck."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name) for a in node.names if a.name.startswith("masterycheck.")
            ]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_from_a_higher_layer(path: Path) -> None:
    relative = path.relative_to(PACKAGE)
    own = relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 else relative.stem
    wrong = []
    for line, module in _imports(path):
        other = _part(module)
        if other == "__version__":
            other = "__init__"
        if LAYERS[other] > LAYERS[own] or (
            other != own and frozenset({own, other}) in SIBLINGS_APART
        ):
            wrong.append(f"{relative}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_every_module_belongs_to_a_layer() -> None:
    for path in MODULES:
        relative = path.relative_to(PACKAGE)
        own = relative.parts[0].removesuffix(".py") if len(relative.parts) > 1 else relative.stem
        assert own in LAYERS, relative
