"""At the edges: pathological but valid inputs, links, read-only and unwritable files, Ctrl-C, and what the command
says about what it did. Every test drives the real command (or real flake8) in a subprocess."""

import json
import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sources import BAD

REPO = Path(__file__).resolve().parents[1]
BAD_FIXED_LINE = "probs = model.predict(x_test, batch_size=256, verbose=0)"
# Valid Python that CPython parses (each near its parser's limit), appended to BAD: the file's TFB101 must survive.
DEEP_EXPRESSIONS = {
    "nested_calls": "f(" * 190 + "1" + ")" * 190,
    "nested_lists": "[" * 190 + "]" * 190,
    "long_sum": " + ".join(["a"] * 2900),
    "unary_minus": "-" * 2900 + "a",
    "nots": "not " * 2900 + "a",
    "attributes": "x" + ".a" * 2900,
}


def run(*args, cwd, stdin=None, env=None, preexec_fn=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "tflint_bnn", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, input=stdin, env={**os.environ, **(env or {})}, timeout=timeout,
                          preexec_fn=preexec_fn)


def flake8(*args, cwd, driver="from flake8.main.cli import main; sys.exit(main())"):
    return subprocess.run([sys.executable, "-c", f"import sys\n{driver}", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def concise(result):
    """{(file name, row, column, code)} of a `--output-format concise` run."""
    found = set()
    for line in result.stdout.splitlines():
        parts = line.split(":", 3)
        if len(parts) == 4 and parts[1].isdigit():
            found.add((Path(parts[0]).name, int(parts[1]), int(parts[2]), parts[3].split()[0]))
    return found


# ---- 1. deep nesting: never lose a file's results, never abort flake8 --------------------------------------------


@pytest.fixture(scope="module")
def deep(tmp_path_factory):
    root = tmp_path_factory.mktemp("deep")
    for name, expression in DEEP_EXPRESSIONS.items():
        (root / f"{name}.py").write_text(BAD + f"y = {expression}\n")
    (root / "bad.py").write_text(BAD)
    return root


def test_cli_analyses_deeply_nested_files(deep):
    result = run("--no-cache", "--output-format", "concise", ".", cwd=deep)
    assert result.returncode == 1 and "internal error" not in result.stderr, result.stderr
    found = concise(result)
    for name in [*DEEP_EXPRESSIONS, "bad"]:
        assert {(f"{name}.py", 6, 9, "TFB101"), (f"{name}.py", 8, 11, "TFB102")} <= found, name


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_flake8_analyses_deeply_nested_files(deep, jobs):
    """pyflakes itself overflows on the long sums (flake8 names it and goes on), so only the nested calls and lists."""
    result = flake8("--isolated", jobs, "--select", "TFB", "--format=%(path)s:%(row)d:%(col)d:%(code)s",
                    "nested_calls.py", "nested_lists.py", "bad.py", cwd=deep)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    for name in ("nested_calls", "nested_lists", "bad"):
        assert f"{name}.py:6:9:TFB101" in result.stdout, result.stdout


@pytest.mark.parametrize("jobs", ["-j1", "-j2"])
def test_flake8_plugin_failure_is_one_tfb000_and_other_files_are_reported(tmp_path, jobs):
    """Whatever the plugin fails on (here an injected RecursionError in one file's analysis), flake8 goes on: that
    file gets one TFB000 at 1:1 and every other file its findings."""
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "breaks.py").write_text(BAD + "# BREAK THE ANALYSIS\n")
    driver = textwrap.dedent("""\
        from tflint_bnn import engine
        real = engine.summarise
        def failing(text, *args, **kwargs):
            if "BREAK THE ANALYSIS" in text:
                raise RecursionError("maximum recursion depth exceeded")
            return real(text, *args, **kwargs)
        engine.summarise = failing
        from flake8.main.cli import main
        sys.exit(main())
    """)
    result = flake8("--isolated", jobs, "--format=%(path)s:%(row)d:%(col)d:%(code)s %(text)s", ".", cwd=tmp_path,
                    driver=driver)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("./breaks.py") and ":TFB" in line] == [
        "./breaks.py:1:1:TFB000 tflint-bnn could not check this file (RecursionError: maximum recursion depth "
        "exceeded); please report it"]
    assert any(line.startswith("./bad.py:6:9:TFB101") for line in lines)
    assert result.returncode == 1


# ---- 2-4. links, read-only and unwritable files ----------------------------------------------------------------


@pytest.fixture
def linked(tmp_path):
    """project/real.py with two links to it, project/outside.py linking to shared/mod.py outside the project."""
    project, shared = tmp_path / "project", tmp_path / "shared"
    project.mkdir()
    shared.mkdir()
    (project / "real.py").write_text(BAD)
    (shared / "mod.py").write_text(BAD)
    (project / "link1.py").symlink_to("real.py")
    (project / "link2.py").symlink_to("real.py")
    (project / "outside.py").symlink_to(shared / "mod.py")
    return project, shared


def test_fix_writes_a_links_target_once_and_keeps_the_links(linked):
    project, shared = linked
    result = run("--no-cache", "--fix", "--output-format", "concise", ".", cwd=project)
    for name in ("link1.py", "link2.py"):
        assert (project / name).is_symlink() and os.readlink(project / name) == "real.py"
    assert BAD_FIXED_LINE in (project / "real.py").read_text()
    assert "Found 2 errors (2 fixed, 2 remaining)." in result.stdout  # real.py fixed once; outside.py left
    # The target outside the project is left as it was, said so, and its findings stay.
    assert (project / "outside.py").is_symlink() and (shared / "mod.py").read_text() == BAD
    assert (f"tflint-bnn: warning: outside.py: is a link to {shared / 'mod.py'}, outside the checked paths; "
            "not fixed") in result.stderr.splitlines()
    assert concise(result) == {("outside.py", 6, 9, "TFB101"), ("outside.py", 8, 11, "TFB102")}
    assert result.returncode == 1


def test_check_reports_a_linked_file_once(linked):
    project, _ = linked
    result = run("--no-cache", "--output-format", "concise", "real.py", "link1.py", "link2.py", cwd=project)
    assert concise(result) == {("real.py", 6, 9, "TFB101"), ("real.py", 8, 11, "TFB102")}


def test_fix_through_a_link_named_on_the_command_line(linked):
    project, shared = linked
    result = run("--no-cache", "--fix", "outside.py", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (project / "outside.py").is_symlink() and BAD_FIXED_LINE in (shared / "mod.py").read_text()


def test_read_only_file_is_not_rewritten_and_keeps_its_findings(tmp_path):
    target = tmp_path / "frozen.py"
    target.write_text(BAD)
    target.chmod(0o444)
    before = target.stat()
    result = run("--no-cache", "--fix", "--output-format", "json", "frozen.py", cwd=tmp_path)
    after = target.stat()
    assert target.read_text() == BAD and (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert result.stderr == "tflint-bnn: warning: frozen.py: is read-only; not fixed\n"
    assert [(item["code"], item["location"]["row"]) for item in json.loads(result.stdout)] == [
        ("TFB101", 6), ("TFB102", 8)]
    assert result.returncode == 1


def _limit_file_size():
    """Any write past 64 bytes fails with EFBIG (SIGXFSZ ignored), as a full or read-only file system would."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "json-lines", "github", "sarif"])
def test_findings_fix_could_not_write_are_reported_in_every_format(tmp_path, output_format):
    target = tmp_path / "bad.py"
    target.write_text(BAD)
    result = run("--no-cache", "--fix", "--output-format", output_format, "bad.py", cwd=tmp_path,
                 preexec_fn=_limit_file_size)
    assert target.read_text() == BAD
    assert result.returncode == 2
    assert "bad.py: cannot write the fixed file: File too large" in result.stderr
    assert [name for name in os.listdir(tmp_path) if name != "bad.py"] == []  # no temp file left
    for code, row in (("TFB101", 6), ("TFB102", 8)):
        if output_format in ("json", "json-lines", "sarif"):
            assert f'"{code}"' in result.stdout and (f'"row": {row}' in result.stdout or
                                                      f'"startLine": {row}' in result.stdout), result.stdout
        else:
            assert code in result.stdout and (f"bad.py:{row}:" in result.stdout or f"line={row}," in result.stdout)


# ---- 8. validate from an installed wheel ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """This checkout built as a wheel (pip builds it with hatchling) and installed, without its dependencies, into a
    directory of its own: put first on PYTHONPATH, it is the tflint_bnn that runs, as from a user's install."""
    wheels, target = tmp_path_factory.mktemp("wheels"), tmp_path_factory.mktemp("site")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=600)
    return target


def _from(site, *args, cwd, poison=None):
    path = os.pathsep.join(str(p) for p in (poison, site) if p is not None)
    return subprocess.run([sys.executable, "-m", "tflint_bnn", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": path}, timeout=900)


def test_wheel_ships_the_fixtures_and_the_license(installed):
    from tflint_bnn.validate import catalog

    packaged = installed / "tflint_bnn" / "validate" / "fixtures"
    for spec in catalog.FIXTURES:
        assert (packaged / spec.filename).read_text() == (REPO / "fixtures" / spec.filename).read_text()
        if spec.hand_fix:
            assert (packaged / "handfixed" / spec.hand_fix).is_file()
    assert [p.name for p in installed.glob("tflint_bnn-*.dist-info/licenses/LICENSE")] == ["LICENSE"]


def test_validate_without_the_extra_says_which_to_install(installed, tmp_path):
    """numpy made unimportable, as in an install without the validate extra: one line, exit 2, no traceback."""
    (tmp_path / "poison" / "numpy").mkdir(parents=True)
    (tmp_path / "poison" / "numpy" / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'numpy'\", name='numpy')\n")
    result = _from(installed, "validate", cwd=tmp_path, poison=tmp_path / "poison")
    assert result.returncode == 2
    assert result.stderr == ("tflint-bnn validate: needs the validate extra (numpy is not installed): "
                             "pip install 'tflint-bnn[validate]'\n")


def test_validate_with_an_interpreter_without_tensorflow_says_which_extra(installed, tmp_path):
    python = Path(sys.base_prefix) / "bin" / "python3"
    if subprocess.run([str(python), "-c", "import tensorflow"], capture_output=True).returncode == 0:
        pytest.skip(f"{python} has TensorFlow")
    result = _from(installed, "validate", "--device", "cpu", "--python", python, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"tflint-bnn validate: {python} cannot import TensorFlow; install the validate extra: "
                             "pip install 'tflint-bnn[validate]'\n")


@pytest.mark.validate
def test_validate_runs_from_an_installed_wheel(installed, tmp_path):
    pytest.importorskip("tensorflow")
    result = _from(installed, "validate", "--device", "cpu", "--no-scaling", "tfb101_tf_function", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "tflint-bnn validate: 1 confirmed, 0 skipped, 0 not confirmed" in result.stderr
