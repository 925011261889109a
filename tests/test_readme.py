"""The README's commands and its example output stay true: each `tflint-bnn` / `flake8` command shown in a code
block runs here without a usage error, the before/after example prints what the README shows, and the GitHub
Actions workflow is valid YAML whose steps use real flags."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sources import BAD
from test_notebooks import JUPYTERLAB

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
# What a shown command line may start with ($ prompts and workflow `run:` keys are not part of the command).
_PREFIX = re.compile(r"^(?:\$ |- run: |run: )")
_TOOLS = ("tflint-bnn", "flake8")


def code_blocks(language: str = r"\w*"):
    return re.findall(rf"```({language})\n(.*?)```", README, flags=re.DOTALL)


def shown_commands():
    commands = []
    for language, body in code_blocks():
        if language in ("python", "toml", "ini", "json", "lua"):
            continue
        for line in body.splitlines():
            command = _PREFIX.sub("", line.strip()).split("  #")[0].strip()
            if command.split(" ", 1)[0] in _TOOLS and command != "tflint-bnn example.py":
                commands.append(command)
    return list(dict.fromkeys(commands))  # a command shown twice runs once


@pytest.fixture
def project(tmp_path):
    """A small project like the ones the README's commands are shown on."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(BAD)
    (tmp_path / "train.py").write_text(BAD)
    (tmp_path / "analysis.ipynb").write_text(JUPYTERLAB)  # the notebook the README's notebook commands name
    return tmp_path


def run_shell(command: str, cwd: Path) -> subprocess.CompletedProcess:
    environment = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", NO_COLOR="1")
    return subprocess.run(command, shell=True, cwd=cwd, capture_output=True, text=True, timeout=300, env=environment)


def test_the_readme_shows_each_integration_command():
    commands = shown_commands()
    for expected in ("tflint-bnn --output-format sarif", "tflint-bnn --output-format github", "flake8 --select TFB",
                     "tflint-bnn server --help"):
        assert any(command.startswith(expected) for command in commands), expected


@pytest.mark.parametrize("command", shown_commands())
def test_shown_command_runs(project, command):
    result = run_shell(command, project)
    assert result.returncode in (0, 1), result.stderr
    assert "usage:" not in result.stderr and "Traceback" not in result.stderr
    if "--select TFB" in command or "--output-format github" in command:
        assert "TFB101" in result.stdout  # the project's findings are really reported


def test_flake8_stdin_command_in_the_editor_section(project):
    command = "flake8 --stdin-display-name src/model.py - < src/model.py"
    assert f"`{command}`" in README
    result = run_shell(command, project)
    assert "src/model.py:6:9: TFB101" in result.stdout


def test_before_and_after_example_prints_what_the_readme_shows(tmp_path):
    section = README[README.index("### Before and after"):README.index("## Fixes")]
    (example,) = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)[:1]
    shown = re.search(r"```\n\$ tflint-bnn example\.py\n(.*?)```", section, flags=re.DOTALL).group(1)
    (tmp_path / "example.py").write_text(example)
    result = run_shell("tflint-bnn --no-cache example.py", tmp_path)
    assert result.stdout == shown
    fixed_lines = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)[1].splitlines()
    assert run_shell("tflint-bnn --no-cache --fix example.py", tmp_path).returncode == 0
    written = (tmp_path / "example.py").read_text()
    assert all(line in written.splitlines() for line in fixed_lines)


def test_github_actions_workflow_is_valid_yaml_with_the_annotation_step():
    """Its `run:` lines are among the shown commands above, so they are run too."""
    (workflow,) = [body for language, body in code_blocks("yaml") if "jobs:" in body]
    steps = next(iter(yaml.safe_load(workflow)["jobs"].values()))["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert "tflint-bnn --output-format github ." in runs
    assert all(run in shown_commands() for run in runs if run.startswith("tflint-bnn"))
