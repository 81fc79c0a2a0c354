"""`masterycheck validate` tells programme, mapping and overlay files apart and checks each."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from masterycheck.cli.app import app
from masterycheck.errors import ExitCode
from masterycheck.files.criteria import load_catalogue, load_programme

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_validate_checks_a_mapping_and_an_overlay_beside_a_programme() -> None:
    files = [
        REPO / "examples" / "forms-export-primary.mapping.yaml",
        REPO / "examples" / "overlay-yorkshire-humber.yaml",
        REPO / "criteria" / "primary.yaml",
    ]
    result = runner.invoke(app, ["validate", *map(str, files)])
    assert result.exit_code == ExitCode.OK, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("(mapping: 11 columns)")
    assert lines[1].endswith("(overlay: 1 criteria added, checked on primary)")
    examples = len(load_programme(files[2], load_catalogue()).programme.examples)
    assert lines[2].endswith(f"(11 essential, 6 desirable, {examples} examples)")


def test_an_overlay_weight_for_a_criterion_the_programme_lacks_is_named_at_its_line(
    tmp_path: Path,
) -> None:
    text = (REPO / "examples" / "overlay-yorkshire-humber.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "overlay.yaml"
    bad.write_text(text.replace("programmes: [primary]", "programmes: [secondary]"), "utf-8")
    line = next(
        n for n, row in enumerate(text.splitlines(), 1) if row.startswith("  maths_subject_leader")
    )
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == (
        f"masterycheck: error: {bad}:{line}:3: unknown criterion 'maths_subject_leader'\n"
    )
