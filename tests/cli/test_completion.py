"""Shell completion: typer's for bash, zsh and fish, with programme ids and ``--answer``
field ids (then choices) completed from the criteria."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import COMMANDS, app, command
from masterycheck.cli.completion import answer_completions, programme_completions

REPO = Path(__file__).resolve().parents[2]
# Runs the console script's entry point under its own name, as the shell calls it.
ENTRY = "import sys; sys.argv[0] = 'masterycheck'; from masterycheck.cli.app import main; main()"


@pytest.fixture(autouse=True)
def bundled_criteria(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MASTERYCHECK_CRITERIA", raising=False)


def values(items: list[object]) -> list[str]:
    return [str(getattr(item, "value", item)) for item in items]


def complete(shell: str, words: str) -> list[str]:
    """Ask the command for completions through the ``_MASTERYCHECK_COMPLETE`` protocol, as the
    script ``--show-completion`` prints does."""
    env = {k: v for k, v in os.environ.items() if k != "MASTERYCHECK_CRITERIA"}
    env["_MASTERYCHECK_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        env["COMP_WORDS"] = words
        env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    completed = subprocess.run(
        [sys.executable, "-c", ENTRY], capture_output=True, text=True, env=env, cwd=REPO
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.splitlines()


def test_programme_ids_complete_from_the_criteria_folder() -> None:
    assert values(programme_completions("p")) == ["post16", "primary"]  # type: ignore[arg-type]
    assert values(programme_completions("")) == ["post16", "primary", "secondary"]  # type: ignore[arg-type]


def test_a_programme_path_is_left_to_the_shells_file_completion() -> None:
    for typed in ("./my", "criteria/pri", "zzz"):
        [item] = programme_completions(typed)
        assert (item.value, item.type) == (typed, "file")


def test_answer_completes_field_ids_then_their_choices() -> None:
    fields = answer_completions("qts")
    assert values(fields) == ["qts_date="]  # type: ignore[arg-type]
    assert fields[0].help  # the field's label
    assert "years_since_qts=" not in values(answer_completions("years"))  # type: ignore[arg-type]
    assert values(answer_completions("school_type=ju")) == ["school_type=junior"]  # type: ignore[arg-type]
    assert values(answer_completions("teaches_same_class_maths=")) == [  # type: ignore[arg-type]
        "teaches_same_class_maths=yes",
        "teaches_same_class_maths=no",
    ]
    assert answer_completions("no_such_field=x") == []


def test_a_broken_catalogue_completes_nothing_and_raises_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "fields.yaml").write_text("fields: [\n", encoding="utf-8")
    monkeypatch.setenv("MASTERYCHECK_CRITERIA", str(tmp_path))
    assert answer_completions("qts") == []


@pytest.mark.parametrize("name", ["check", "explain", "interview", "mapping", "screen"])
def test_every_programme_parameter_completes_programme_ids(name: str) -> None:
    built = command(name)
    [param] = [p for p in built.params if p.name == "programme"]
    assert values(param.shell_complete(None, "sec")) == ["secondary"]  # type: ignore[arg-type]


def test_bash_completes_a_programme_id_through_the_protocol() -> None:
    assert complete("bash", "masterycheck check pri") == ["primary"]
    assert complete("bash", "masterycheck screen export.csv --programme sec") == ["secondary"]


def test_zsh_completes_answer_field_ids_through_the_protocol() -> None:
    [line] = complete("zsh", "masterycheck check primary --answer qts_d")
    assert '"qts_date=":' in line


def test_fish_completes_a_choice_after_the_equals_sign_through_the_protocol() -> None:
    assert complete("fish", "masterycheck check primary -a school_type=inf") == [
        "school_type=infant"
    ]


def test_command_names_complete_through_the_protocol() -> None:
    assert complete("bash", "masterycheck ch") == ["check"]
    assert set(complete("bash", "masterycheck ")) == set(COMMANDS)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_show_completion_prints_the_script_for_each_shell(
    shell: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="masterycheck")
    assert result.exit_code == 0
    assert "_MASTERYCHECK_COMPLETE=complete_" + shell in result.stdout


def test_install_completion_is_offered_in_help() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert "--install-completion" in result.output
    assert "--show-completion" in result.output
