"""The flake8 plugin, driven through real flake8 subprocesses and compared with the `tflint-bnn` command."""

import ast
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sources import BAD
from tflint_bnn import engine
from tflint_bnn.engine import Linter
from tflint_bnn.flake8_plugin import Flake8Plugin
from tflint_bnn.rules import ALL_RULES, RULES_BY_CODE

pytest.importorskip("flake8")

REPO = Path(__file__).resolve().parents[1]
# One line per finding, without the message (whose wording is the rules' business): path:row:col:code.
FORMAT = "--format=%(path)s:%(row)d:%(col)d:%(code)s"
# BAD's findings, with flake8's (1-based) columns: the CLI's text output says the same.
BAD_FINDINGS = {(6, 9, "TFB101"), (8, 11, "TFB102")}
# A forward pass over 600 rows: under the default 1024 batch rows, over 500.
ROWS_600 = textwrap.dedent("""\
    import numpy as np
    import tensorflow as tf

    x = np.zeros((600, 32), dtype="float32")
    model = tf.keras.models.load_model("model.keras")
    y = model(x)
""")
# An array read from disk: large unless the loaded-arrays option is off.
LOADED = ROWS_600.replace('np.zeros((600, 32), dtype="float32")', 'np.load("x.npy")')
# Character columns, not bytes: the finding is at character 26 of a line whose first 25 characters take 27 bytes.
NON_ASCII = BAD.replace("probs = model(x_test).numpy()", 'étiquette = "ü"; probs = model(x_test)')
NOT_TF = textwrap.dedent("""\
    import torch

    model = torch.nn.Linear(32, 10)
    for i in range(10):
        row = model.predict(torch.zeros(10_000, 32))
""")
TF_WITHOUT_FINDINGS = "import tensorflow as tf\n\nprint(tf.__version__)\n"


def flake8(*args, cwd, stdin=None):
    return subprocess.run([sys.executable, "-m", "flake8", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          input=stdin, timeout=120)


def reported(result, prefix="TFB"):
    """{(file name, row, column, code)} from flake8 run with FORMAT, for codes starting with `prefix`."""
    assert "Traceback" not in result.stderr, result.stderr
    found = set()
    for line in result.stdout.splitlines():
        path, row, column, code = line.rsplit(":", 3)
        if code.startswith(prefix):
            found.add((Path(path).name, int(row), int(column), code))
    return found


def in_file(found, name):
    return {(row, column, code) for file, row, column, code in found if file == name}


def cli_findings(*paths, cwd):
    """The command's findings, from its JSON output (the text format is not this test's business)."""
    result = subprocess.run([sys.executable, "-m", "tflint_bnn", "--output-format", "json", "--no-cache",
                             *map(str, paths)], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    return {(Path(item["filename"]).name, item["location"]["row"], item["location"]["column"], item["code"])
            for item in json.loads(result.stdout)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Every rule's VALID and INVALID examples, BAD, the runtime fixtures and a non-ASCII line, one file each.

    The files do not import one another, so the command (which links the files it checks) finds in each what a
    check of that file alone finds, as the plugin does."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "pyproject.toml").write_text("[tool.tflint-bnn]\n")  # the command's defaults, whatever is above
    (root / "bad.py").write_text(BAD)
    (root / "non_ascii.py").write_text(NON_ASCII, encoding="utf-8")
    (root / "not_tf.py").write_text(NOT_TF)
    for rule in ALL_RULES:
        for number, example in enumerate(rule.INVALID):
            (root / f"{rule.code.lower()}_invalid_{number}.py").write_text(example.code)
        for number, source in enumerate(rule.VALID):
            (root / f"{rule.code.lower()}_valid_{number}.py").write_text(source)
    for fixture in (REPO / "fixtures").glob("*.py"):
        shutil.copy(fixture, root / f"fixture_{fixture.name}")
    return root


@pytest.fixture(scope="module")
def cli_corpus(corpus):
    return cli_findings(".", cwd=corpus)


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_plain_flake8_reports_what_the_command_reports(corpus, cli_corpus, jobs):
    found = reported(flake8("--isolated", jobs, FORMAT, ".", cwd=corpus))
    assert found == cli_corpus
    assert {code for *_, code in found} == set(RULES_BY_CODE)  # every rule took part
    assert in_file(found, "bad.py") == BAD_FINDINGS
    assert in_file(found, "non_ascii.py") == {(6, 26, "TFB101"), (8, 11, "TFB102")}
    # Negatives: no rule flags its own VALID examples (others may), nothing flags the torch file.
    assert not {(file, code) for file, *_, code in found if file.startswith(f"{code.lower()}_valid_")}
    assert not in_file(found, "not_tf.py")


def test_select_tfb_shows_only_tfb(corpus, cli_corpus):
    result = flake8("--isolated", "--select", "TFB", FORMAT, ".", cwd=corpus)
    assert reported(result, prefix="") == cli_corpus
    assert "E501" in flake8("--isolated", FORMAT, "bad.py", cwd=corpus).stdout  # the others do report without it


def test_stdin_as_editors_send_it(corpus):
    result = flake8("--isolated", FORMAT, "--stdin-display-name", "path/to/file.py", "-", cwd=corpus, stdin=BAD)
    assert in_file(reported(result), "file.py") == BAD_FINDINGS
    assert all(line.startswith("path/to/file.py:") for line in result.stdout.splitlines())
    ignored = flake8("--isolated", FORMAT, "--per-file-ignores", "path/to/*.py:TFB101", "--stdin-display-name",
                     "path/to/file.py", "-", cwd=corpus, stdin=BAD)
    assert in_file(reported(ignored), "file.py") == {(8, 11, "TFB102")}


def test_version_lists_the_plugin(tmp_path):
    result = flake8("--version", cwd=tmp_path)
    assert result.returncode == 0 and "tflint-bnn: 0.1.0" in result.stdout


@pytest.mark.parametrize(("comment", "left"), [
    ("  # noqa", {(8, 11, "TFB102")}),
    ("  # noqa: TFB101", {(8, 11, "TFB102")}),
    ("  # noqa: TFB102", BAD_FINDINGS),
    ("  # noqa: E501", BAD_FINDINGS),
])
def test_noqa_comments(tmp_path, comment, left):
    (tmp_path / "bad.py").write_text(BAD.replace("probs = model(x_test).numpy()", "probs = model(x_test).numpy()"
                                                 + comment))
    assert in_file(reported(flake8("--isolated", FORMAT, "bad.py", cwd=tmp_path)), "bad.py") == left


def test_disable_noqa_brings_back_suppressed_findings(tmp_path):
    """flake8 applies the line's `# noqa` itself, so its --disable-noqa works for TFB codes too."""
    (tmp_path / "bad.py").write_text(BAD.replace("probs = model(x_test).numpy()",
                                                 "probs = model(x_test).numpy()  # noqa: TFB101"))
    found = reported(flake8("--isolated", FORMAT, "--disable-noqa", "bad.py", cwd=tmp_path))
    assert in_file(found, "bad.py") == BAD_FINDINGS


def test_extend_ignore_and_per_file_ignores(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "other.py").write_text(BAD)
    found = reported(flake8("--isolated", FORMAT, "--extend-ignore", "TFB101", ".", cwd=tmp_path))
    assert in_file(found, "bad.py") == in_file(found, "other.py") == {(8, 11, "TFB102")}
    found = reported(flake8("--isolated", FORMAT, "--per-file-ignores", "bad.py:TFB101 other.py:TFB102", ".",
                            cwd=tmp_path))
    assert in_file(found, "bad.py") == {(8, 11, "TFB102")} and in_file(found, "other.py") == {(6, 9, "TFB101")}


@pytest.fixture
def option_files(tmp_path):
    (tmp_path / "rows_600.py").write_text(ROWS_600)
    (tmp_path / "loaded.py").write_text(LOADED)
    return tmp_path


def flagged(result):
    return {file for file, *_ in reported(result)}


def test_option_defaults(option_files):
    assert flagged(flake8(FORMAT, "-j2", ".", cwd=option_files)) == {"loaded.py"}


@pytest.mark.parametrize("config", ["setup.cfg", "tox.ini", ".flake8"])
def test_options_from_config_files(option_files, config):
    (option_files / config).write_text("[flake8]\ntflint-batch-rows = 500\ntflint-assume-loaded-arrays-large = false\n")
    assert flagged(flake8(FORMAT, "-j2", ".", cwd=option_files)) == {"rows_600.py"}  # the workers read them too
    # The command line wins over the config file.
    assert flagged(flake8(FORMAT, "--tflint-assume-loaded-arrays-large", ".", cwd=option_files)) == {
        "rows_600.py", "loaded.py"}


@pytest.mark.parametrize(("value", "expected"), [("off", set()), ("no", set()), ("true", {"loaded.py"})])
def test_boolean_config_values(option_files, value, expected):
    (option_files / ".flake8").write_text(f"[flake8]\ntflint-assume-loaded-arrays-large = {value}\n")
    assert flagged(flake8(FORMAT, "loaded.py", cwd=option_files)) == expected


def test_options_on_the_command_line(option_files):
    result = flake8(FORMAT, "--tflint-batch-rows", "500", "--no-tflint-assume-loaded-arrays-large", ".",
                    cwd=option_files)
    assert flagged(result) == {"rows_600.py"}


def test_batch_rows_must_be_positive(option_files):
    result = flake8("--tflint-batch-rows", "0", ".", cwd=option_files)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--tflint-batch-rows must be a positive integer, not 0" in result.stdout


def test_syntax_error_is_flake8s_e999(tmp_path):
    (tmp_path / "broken.py").write_text("import tensorflow as tf\n\ndef f(:\n    pass\n")
    result = flake8("--isolated", FORMAT, "broken.py", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert {(row, code) for _, row, _, code in reported(result, prefix="")} == {(3, "E999")}


def test_a_large_generated_file_is_still_checked(tmp_path):
    padding = "x" * (2 ** 21)
    (tmp_path / "huge.py").write_text(f'{BAD}BLOB = "{padding}"\n')
    result = flake8("--isolated", FORMAT, "--select", "TFB", "huge.py", cwd=tmp_path)
    assert sorted(code for *_, code in reported(result)) == ["TFB101", "TFB102"]


def test_a_file_that_is_not_tensorflow_reports_nothing(tmp_path):
    (tmp_path / "not_tf.py").write_text(NOT_TF)
    result = flake8("--isolated", FORMAT, "not_tf.py", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def run_plugin(source):
    """The plugin as flake8 calls it (the tree flake8 built, its lines), in this process."""
    lines = source.splitlines(keepends=True)
    return list(Flake8Plugin(ast.parse("".join(lines)), lines, "file.py").run())


@pytest.fixture
def libcst_parses(monkeypatch):
    """The sources the engine parsed with LibCST."""
    parsed = []
    real = engine.parse

    def spy(text):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(engine, "parse", spy)
    return parsed


@pytest.mark.parametrize("source", [NOT_TF, TF_WITHOUT_FINDINGS])
def test_files_that_cannot_hold_a_finding_are_not_parsed_with_libcst(libcst_parses, source):
    assert run_plugin(source) == [] and libcst_parses == []


def test_plugin_yields_flake8_tuples_and_parses_once(libcst_parses):
    results = run_plugin(BAD)
    assert [(row, column, text.split()[0]) for row, column, text, _ in results] == [(6, 8, "TFB101"),
                                                                                    (8, 10, "TFB102")]
    assert all(kind is Flake8Plugin for *_, kind in results)
    assert libcst_parses == []  # flake8 shows no fixes: nothing is parsed with LibCST


def test_triage_reuses_flake8s_tree(monkeypatch):
    tree = ast.parse(BAD)
    monkeypatch.setattr(ast, "parse", lambda *args, **kwargs: pytest.fail("parsed again"))
    lines = BAD.splitlines(keepends=True)
    assert len(list(Flake8Plugin(tree, lines, "file.py").run())) == 2


@pytest.fixture
def configure(monkeypatch, tmp_path):
    """configure(*flake8 arguments) -> the codes of the rules the plugin runs, after flake8's own option parsing."""
    from flake8.options.parse_args import parse_args

    monkeypatch.setattr(Flake8Plugin, "settings", Flake8Plugin.settings)  # parse_options replaces it: undone after
    monkeypatch.chdir(tmp_path)

    def run(*args):
        parse_args(["--isolated", *args])
        return {rule.code for rule in Linter(Flake8Plugin.settings).rules}

    return run


def test_rules_flake8_does_not_report_do_not_run(configure, libcst_parses):
    assert configure() == set(RULES_BY_CODE)
    assert configure("--extend-ignore", "TFB201") == set(RULES_BY_CODE) - {"TFB201"}
    assert configure("--select", "TFB1") == {code for code in RULES_BY_CODE if code.startswith("TFB1")}
    assert configure("--select", "E,W,F") == set()
    assert run_plugin(BAD) == [] and libcst_parses == []  # nothing selected: nothing parsed


def test_a_flake8_without_its_decision_engine_runs_every_default_rule(monkeypatch, configure):
    """The pruning uses flake8 internals: if they move, the plugin still works (flake8 filters the output)."""
    import flake8.style_guide

    monkeypatch.delattr(flake8.style_guide, "DecisionEngine")
    assert configure("--select", "TFB1") == set(RULES_BY_CODE)


@pytest.mark.parametrize(("args", "runs"), [
    ((), False),
    (("--select", "TFB"), False),
    (("--select", "TFB206"), True),
    (("--extend-select", "TFB206"), True),
])
def test_a_rule_off_by_default_runs_when_named_in_full(monkeypatch, configure, args, runs):
    monkeypatch.setattr(RULES_BY_CODE["TFB206"], "default_enabled", False)
    assert ("TFB206" in configure(*args)) is runs


@pytest.mark.parametrize(("flake8_args", "cli_args"), [
    (["--extend-ignore", "TFB201"], ["--ignore", "TFB201"]),
    (["--select", "TFB1"], ["--select", "TFB1"]),
])
def test_a_rule_left_out_supersedes_nothing_as_in_the_command(corpus, flake8_args, cli_args):
    """TFB201 replaces TFB101 at the same call; without TFB201 both tools report the TFB101."""
    found = reported(flake8("--isolated", FORMAT, *flake8_args, ".", cwd=corpus))
    assert found == cli_findings(*cli_args, ".", cwd=corpus)
    assert in_file(found, "fixture_tfb201_mc_dropout.py") == {(22, 21, "TFB101")}


def test_the_package_works_without_flake8(tmp_path):
    """flake8 is an optional extra: the plugin module imports without it and the command never imports it."""
    (tmp_path / "bad.py").write_text(BAD)
    script = textwrap.dedent("""\
        import sys
        sys.modules["flake8"] = None  # `import flake8` now raises ImportError
        import tflint_bnn.flake8_plugin
        from tflint_bnn.cli import main
        sys.exit(main(["--no-cache", "--output-format", "json", "bad.py"]))
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 1, result.stderr
    assert {item["code"] for item in json.loads(result.stdout)} == {"TFB101", "TFB102"}
