"""Every YAML file we ship or write parses the same with and without libyaml.

PyYAML's C loader (libyaml) accepts some plain scalars that the pure-Python loader refuses
(a ``?`` inside a flow mapping, for one). Platforms without the C extension (PyPy, some
minimal installs) use the pure-Python loader, so every shipped file must be portable YAML.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from masterycheck.files import yaml_source

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    [
        *ROOT.glob("criteria/*.yaml"),
        *ROOT.glob("examples/*.yaml"),
        *ROOT.glob("tests/**/*.yaml"),
    ]
)
LOADERS: list[type] = [yaml.SafeLoader]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(yaml.CSafeLoader)


def test_shipped_yaml_files_are_found() -> None:
    names = {path.name for path in SHIPPED}
    assert {"fields.yaml", "primary.yaml", "secondary.yaml", "post16.yaml"} <= names


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(ROOT)))
def test_shipped_yaml_parses_with_each_pyyaml_loader(path: Path, loader: type) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=loader) is not None


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: str(path.relative_to(ROOT)))
def test_strict_reader_gives_the_same_document_with_pure_python_pyyaml(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = yaml_source.load_yaml(path)
    monkeypatch.setattr(yaml_source, "_Loader", yaml.SafeLoader)
    pure = yaml_source.load_yaml(path)
    assert pure.data == fast.data
    assert dict(pure.positions) == dict(fast.positions)


def test_bundled_programmes_load_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    from masterycheck.files.criteria import load_catalogue, load_programme, resolve_programme

    monkeypatch.setattr(yaml_source, "_Loader", yaml.SafeLoader)
    catalogue = load_catalogue()
    for programme in ("primary", "secondary", "post16"):
        compiled = load_programme(resolve_programme(programme), catalogue)
        assert compiled.programme.criteria
