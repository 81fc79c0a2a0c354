"""Start-up: a command imports only what it uses, and pydantic scans for no plugins.

The timing itself is measured by ``bench/bench_check.py``; these tests pin what makes it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masterycheck.cli.app import COMMANDS, app, command

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "examples" / "primary-eligible.yaml"

# Runs the entry point in a fresh interpreter, then reports what was imported.
PROBE = """
import json, sys
sys.argv = ["masterycheck", *json.loads(sys.argv[1])]
from masterycheck.cli.app import main
try:
    main()
except SystemExit:
    pass
others = {"importlib.metadata": "importlib.metadata" in sys.modules, "rich": "rich" in sys.modules}
import pydantic.plugin._loader as loader
report = {"modules": sorted(m for m in sys.modules if m.startswith("masterycheck")),
          "plugins_scanned": loader._plugins is not None, "others": others}
sys.stderr.write("PROBE " + json.dumps(report) + "\\n")
"""


def probe(*args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    completed = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    line = next(x for x in completed.stderr.splitlines() if x.startswith("PROBE "))
    found: dict[str, object] = json.loads(line.removeprefix("PROBE "))
    return found


NOT_FOR_CHECK = (
    "masterycheck.cli.screen",
    "masterycheck.cli.interview",
    "masterycheck.cli.mapping",
    "masterycheck.cli.validate",
    "masterycheck.cli.schema",
    "masterycheck.cli.info",
    "masterycheck.core.interview_plan",
    "masterycheck.core.overlay",
    "masterycheck.files.mapping_file",
    "masterycheck.files.overlays",
    "masterycheck.reporters.html",
    "masterycheck.reporters.markdown",
    "masterycheck.reporters.json_report",
    "masterycheck.outputs.scratch",
    "masterycheck.outputs.safe_files",
)


def test_check_in_text_imports_only_what_it_uses() -> None:
    found = probe("check", "primary", "--profile", str(PROFILE))
    modules = found["modules"]
    assert isinstance(modules, list)
    assert "masterycheck.reporters.text" in modules
    assert not [m for m in modules if m in NOT_FOR_CHECK or m.startswith("masterycheck.batch")]


def test_check_in_json_does_not_import_the_terminal_reporter() -> None:
    modules = probe("check", "primary", "--profile", str(PROFILE), "--format", "json")["modules"]
    assert isinstance(modules, list)
    assert "masterycheck.reporters.json_report" in modules
    assert "masterycheck.reporters.text" not in modules


def test_the_entry_point_scans_for_no_pydantic_plugins() -> None:
    assert probe("check", "primary", "--profile", str(PROFILE))["plugins_scanned"] is False


def test_check_written_to_a_pipe_imports_neither_rich_nor_importlib_metadata() -> None:
    found = probe("check", "primary", "--profile", str(PROFILE))
    assert found["others"] == {"importlib.metadata": False, "rich": False}


# Pydantic's own loader takes over when plugins are turned on again, and scans for them.
PLUGINS_BACK_ON = """
import os, sys
import masterycheck.cli
from pydantic import BaseModel
class Off(BaseModel):
    x: int
stood_in = "importlib.metadata" not in sys.modules
os.environ["PYDANTIC_DISABLE_PLUGINS"] = ""
class On(BaseModel):
    y: int
import pydantic.plugin._loader as loader
print(stood_in, loader._plugins is not None, loader.__file__.endswith("_loader.py"))
"""


def test_plugins_turned_on_again_are_looked_for_by_pydantic() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run(
        [sys.executable, "-c", PLUGINS_BACK_ON], capture_output=True, text=True, env=env
    )
    assert done.stdout.split() == ["True", "True", "True"], done.stderr


def test_a_users_own_plugin_setting_is_kept() -> None:
    code = "import os, masterycheck.cli; print(os.environ['PYDANTIC_DISABLE_PLUGINS'])"
    env = {**os.environ, "PYDANTIC_DISABLE_PLUGINS": "some_plugin"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.stdout.strip() == "some_plugin"


def test_help_lists_every_command_in_order() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    lines = result.output.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in lines if line.startswith("  ")] == list(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_builds_with_its_name_and_help(name: str) -> None:
    built = command(name)
    assert built.name == name
    assert built.help


def test_an_unknown_command_is_refused_as_before() -> None:
    result = CliRunner().invoke(app, ["chek"])
    assert result.exit_code == 2
    assert "No such command 'chek'" in result.output
