"""The command line, driven through a real subprocess: every flag and every exit status."""

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sources import BAD
from terminal import run_on_terminal

GOOD = "import tensorflow as tf\n\nprint(tf.__version__)\n"
UNSAFE_ONLY = textwrap.dedent("""\
    import numpy as np
    import tensorflow as tf

    x = np.zeros((10_000, 32), dtype="float32")
    model = tf.keras.models.load_model("m.keras")
    y = model(x)
""")


def run(*args, cwd, stdin=None, env=None):
    environment = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tflint_bnn", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, input=stdin, env=environment, timeout=120)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "good.py").write_text(GOOD)
    return tmp_path


def test_default_path_is_cwd_and_findings_exit_1(project):
    result = run(cwd=project)
    assert result.returncode == 1
    assert "bad.py:6:9: TFB101 [*] `model(x_test)` runs one forward pass over all 10,000 rows" in result.stdout
    assert "bad.py:8:11: TFB102 [*]" in result.stdout
    assert "Found 2 errors." in result.stdout and "[*] 2 fixable with the `--fix` option." in result.stdout
    assert "\x1b[" not in result.stdout  # no colour when stdout is not a terminal


def test_clean_file_exits_0(project):
    result = run("good.py", cwd=project)
    assert result.returncode == 0 and result.stdout == "All checks passed!\n"


def test_check_subcommand_is_an_alias(project):
    assert run("check", "bad.py", cwd=project).returncode == 1


def test_exit_zero(project):
    assert run("--exit-zero", cwd=project).returncode == 0


def test_fix_rewrites_safely_and_second_run_is_clean(project):
    bad = project / "bad.py"
    os.chmod(bad, 0o640)
    result = run("--fix", "--show-fixes", "bad.py", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    text = bad.read_text()
    assert "probs = model.predict(x_test, batch_size=256, verbose=0)" in text
    assert "row = model(x_test[i][None], training=False).numpy()" in text
    assert "Fixed 2 errors:" in result.stdout and "1 \u00d7 TFB101 (full-batch-forward)" in result.stdout
    assert stat.S_IMODE(bad.stat().st_mode) == 0o640
    assert [p.name for p in project.iterdir() if p.name.startswith(".bad.py")] == []  # no temp file left
    again = run("--fix", "bad.py", cwd=project)
    assert again.returncode == 0 and bad.read_text() == text


def test_unsafe_fixes_only_with_flag(project):
    target = project / "unsafe.py"
    target.write_text(UNSAFE_ONLY)
    hidden = run("--fix", "unsafe.py", cwd=project)
    assert hidden.returncode == 1 and target.read_text() == UNSAFE_ONLY
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option." in hidden.stdout
    applied = run("--fix", "--unsafe-fixes", "unsafe.py", cwd=project)
    assert applied.returncode == 0 and "_batched_forward(model, x, 256)" in target.read_text()


def test_diff_prints_and_writes_nothing(project):
    result = run("--diff", "bad.py", cwd=project)
    assert result.returncode == 1
    assert "-probs = model(x_test).numpy()" in result.stdout
    assert "+probs = model.predict(x_test, batch_size=256, verbose=0)" in result.stdout
    assert (project / "bad.py").read_text() == BAD


def test_json_output_uses_ruff_field_names(project):
    result = run("--output-format", "json", "bad.py", cwd=project)
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    first = findings[0]
    assert set(first) == {"code", "message", "filename", "location", "end_location", "fix", "url", "noqa_row"}
    assert first["code"] == "TFB101" and first["location"] == {"row": 6, "column": 9}
    assert first["end_location"] == {"row": 6, "column": 22}
    assert first["filename"] == str(project / "bad.py") and first["noqa_row"] == 6
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0]["content"] == "model.predict(x_test, batch_size=256, verbose=0)"
    assert first["url"].endswith("docs/rules/TFB101.md")


def test_statistics(project):
    result = run("--statistics", "bad.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["    1\tTFB101\t[*] full-batch-forward", "    1\tTFB102\t[*] predict-in-loop"]


def test_select_ignore_extend_select(project):
    assert "TFB102" not in run("--select", "TFB101", "bad.py", cwd=project).stdout
    assert run("--ignore", "TFB1", "bad.py", cwd=project).returncode == 0
    result = run("--select", "TFB2", "--extend-select", "TFB102", "bad.py", cwd=project)
    assert "TFB102" in result.stdout and "TFB101" not in result.stdout


def test_batch_options(project):
    assert run("--batch-rows", "20000", "--select", "TFB101", "bad.py", cwd=project).returncode == 0
    result = run("--diff", "--fix-batch-size", "64", "bad.py", cwd=project)
    assert "batch_size=64" in result.stdout
    assert run("--batch-rows", "0", "bad.py", cwd=project).returncode == 2


def test_explain(project):
    result = run("--explain", "TFB101", cwd=project)
    assert result.returncode == 0 and result.stdout.startswith("# TFB101 full-batch-forward")
    unknown = run("--explain", "TFB999", cwd=project)
    assert unknown.returncode == 2 and "unknown rule code" in unknown.stderr


def test_no_cache_is_accepted(project):
    assert run("--no-cache", "bad.py", cwd=project).returncode == 1


def test_usage_error_exits_2(project):
    assert run("--output-format", "xml", cwd=project).returncode == 2
    assert run("--not-a-flag", cwd=project).returncode == 2


def test_version(project):
    result = run("--version", cwd=project)
    assert result.returncode == 0 and result.stdout.startswith("tflint-bnn ")


def test_pyproject_config_is_found_walking_up(project):
    (project / "pyproject.toml").write_text(textwrap.dedent("""\
        [tool.tflint-bnn]
        ignore = ["TFB102"]
        fix-batch-size = 512
        per-file-ignores = {"legacy/*" = ["TFB101"]}
        exclude = ["generated"]
    """))
    for folder in ("pkg", "legacy", "generated"):
        (project / folder).mkdir()
        (project / folder / "mod.py").write_text(BAD)
    result = run(cwd=project / "pkg")
    assert "TFB101" in result.stdout and "TFB102" not in result.stdout
    assert "batch_size=512" in run("--diff", ".", cwd=project / "pkg").stdout
    whole = run(".", cwd=project)
    assert "legacy" not in whole.stdout and "generated" not in whole.stdout and "pkg/mod.py" in whole.stdout


def test_explicit_config_and_bad_config(project):
    config = project / "custom.toml"
    config.write_text('[tool.tflint-bnn]\nselect = ["TFB102"]\n')
    result = run("--config", config, "bad.py", cwd=project)
    assert "TFB102" in result.stdout and "TFB101" not in result.stdout
    config.write_text('[tool.tflint-bnn]\nbatch-rows = "many"\n')
    broken = run("--config", config, "bad.py", cwd=project)
    assert broken.returncode == 2 and "batch-rows" in broken.stderr
    config.write_text('[tool.tflint-bnn]\nnot-an-option = 1\n')
    assert run("--config", config, "bad.py", cwd=project).returncode == 2
    assert run("--config", project / "missing.toml", cwd=project).returncode == 2


def test_default_excludes_skip_virtualenvs(project):
    venv = project / ".venv" / "lib"
    venv.mkdir(parents=True)
    (venv / "bad.py").write_text(BAD)
    assert ".venv" not in run(".", cwd=project).stdout


def test_bad_inputs_are_reported_one_line_each_and_the_rest_is_checked(project):
    (project / "syntax.py").write_text("import tensorflow as tf\ndef broken(:\n")
    (project / "nul.py").write_bytes(b"import tensorflow\x00\n")
    (project / "latin.py").write_bytes(b"import tensorflow\nname = '\xff'\n")
    (project / "dir.py").mkdir()
    (project / "dangling.py").symlink_to(project / "nowhere.py")
    result = run(".", "missing.py", cwd=project)
    assert result.returncode == 2
    errors = result.stderr.splitlines()
    assert any("syntax.py: syntax error at line 2" in line for line in errors)
    assert any("nul.py: contains NUL bytes" in line for line in errors)
    assert any("latin.py: not valid utf-8" in line for line in errors)
    assert any("dangling.py: no such file" in line for line in errors)
    assert any("missing.py: no such file or directory" in line for line in errors)
    assert any("dir.py: is a directory, not a Python file" in line for line in errors)
    assert len(errors) == 6
    assert "bad.py:6:9: TFB101" in result.stdout  # the good files are still checked


def test_unreadable_file_message(tmp_path, monkeypatch):
    """Root (as in CI) reads any file, so the permission failure is injected at the read itself."""
    from tflint_bnn.files import SourceError, read_source

    target = tmp_path / "secret.py"
    target.write_text(BAD)

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(SourceError, match="cannot read: Permission denied"):
        read_source(target)


def test_unsafe_fixes_from_config_and_no_unsafe_fixes(project):
    (project / "pyproject.toml").write_text("[tool.tflint-bnn]\nunsafe-fixes = true\n")
    target = project / "unsafe.py"
    target.write_text(UNSAFE_ONLY)
    assert run("--fix", "--no-unsafe-fixes", "unsafe.py", cwd=project).returncode == 1
    assert target.read_text() == UNSAFE_ONLY
    assert run("--fix", "unsafe.py", cwd=project).returncode == 0
    assert "_batched_forward(model, x, 256)" in target.read_text()


def test_bom_and_crlf_survive_fix(project):
    target = project / "windows.py"
    target.write_bytes(b"\xef\xbb\xbf" + BAD.replace("\n", "\r\n").encode())
    assert run("--fix", "windows.py", cwd=project).returncode == 0
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"model.predict(x_test, batch_size=256, verbose=0)\r\n" in data
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_latin1_declared_encoding_is_kept(project):
    target = project / "latin1.py"
    target.write_bytes(b"# -*- coding: latin-1 -*-\n" + BAD.encode() + b"name = '\xe9'\n")
    assert run("--fix", "latin1.py", cwd=project).returncode == 0
    assert target.read_bytes().endswith(b"name = '\xe9'\n")


def test_linting_never_imports_tensorflow(project, tmp_path_factory):
    poison = tmp_path_factory.mktemp("poison")
    for name in ("tensorflow", "keras", "tf_keras", "tensorflow_probability", "numpy"):
        (poison / name).mkdir()
        (poison / name / "__init__.py").write_text("raise ImportError('linting must not import this')\n")
    path = os.pathsep.join([str(poison), str(Path(__file__).resolve().parents[1])])
    result = run("--fix", "bad.py", cwd=project, env={"PYTHONPATH": path})
    assert result.returncode == 0, result.stderr


def test_colour_on_a_terminal_and_no_color(project):
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    command = [sys.executable, "-m", "tflint_bnn", "bad.py"]
    assert "\x1b[1;31mTFB101\x1b[0m" in run_on_terminal(command, project, env=environment)
    assert "\x1b[" not in run_on_terminal(command, project, env={**environment, "NO_COLOR": "1"})
