"""The pre-commit hooks (``.pre-commit-hooks.yaml``) name commands that exist, and the files
each hook is given are files those commands accept."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from masterycheck.cli.app import COMMANDS, app

REPO = Path(__file__).resolve().parents[1]
HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
BY_ID = {hook["id"]: hook for hook in HOOKS}
# The keys pre-commit requires of a hook, and those it knows.
REQUIRED = {"id", "name", "entry", "language"}
KNOWN = REQUIRED | {"description", "files", "exclude", "types", "pass_filenames", "args"}


def shipped_files() -> list[str]:
    return sorted(
        str(p.relative_to(REPO)) for d in ("criteria", "examples") for p in (REPO / d).glob("*")
    )


def matched(hook: dict[str, str]) -> list[str]:
    return [name for name in shipped_files() if re.search(hook["files"], name)]


def test_the_hooks_are_validate_and_test_with_the_keys_pre_commit_reads() -> None:
    assert list(BY_ID) == ["masterycheck-validate", "masterycheck-test"]
    for hook in HOOKS:
        assert REQUIRED <= set(hook) <= KNOWN, hook["id"]
        assert hook["language"] == "python"


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h["id"])
def test_each_hook_runs_a_command_that_exists(hook: dict[str, str]) -> None:
    program, name, *rest = shlex.split(hook["entry"])
    assert program == "masterycheck"
    assert name in COMMANDS
    assert rest == []


def test_validate_is_given_criteria_overlays_and_mappings_and_accepts_them() -> None:
    files = matched(BY_ID["masterycheck-validate"])
    assert files == [
        "criteria/fields.yaml",
        "criteria/post16.yaml",
        "criteria/primary.yaml",
        "criteria/secondary.yaml",
        "examples/forms-export-primary.mapping.yaml",
        "examples/overlay-yorkshire-humber.yaml",
    ]
    result = CliRunner().invoke(app, ["validate", *(str(REPO / f) for f in files)])
    assert result.exit_code == 0, result.output


def test_test_is_given_the_criteria_files_and_runs_their_examples() -> None:
    files = matched(BY_ID["masterycheck-test"])
    assert files == [f for f in shipped_files() if f.startswith("criteria/")]
    result = CliRunner().invoke(app, ["test", *(str(REPO / f) for f in files)])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"[1-9]\d* passed, 0 failed", result.stdout.splitlines()[-1])
