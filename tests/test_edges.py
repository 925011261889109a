"""At the edges: pathological but valid inputs, links, read-only and unwritable files, Ctrl-C, and what the command
says about what it did. Every test drives the real command (or real flake8) in a subprocess."""

import json
import os
import re
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
# Valid Python that CPython parses, appended to BAD: the file's TFB101 must survive. The sum is near the parser's
# limit (only the headroom in analysis.index.parse gets it parsed in this process); the others are kept at 1,000
# levels because the analysis takes seconds per file on such chains (about 45 s for 2,900 attributes).
DEEP_EXPRESSIONS = {
    "nested_calls": "f(" * 190 + "1" + ")" * 190,
    "nested_lists": "[" * 190 + "]" * 190,
    "long_sum": " + ".join(["a"] * 2900),
    "unary_minus": "-" * 1000 + "a",
    "nots": "not " * 1000 + "a",
    "attributes": "x" + ".a" * 1000,
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
            assert f'"{code}"' in result.stdout, result.stdout
            assert f'"row": {row}' in result.stdout or f'"startLine": {row}' in result.stdout
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
        if spec.entry:  # a project fixture: every module of its directory
            shipped = catalog.tree_texts(packaged / spec.name)
            assert shipped == catalog.tree_texts(REPO / "fixtures" / spec.name) and len(shipped) > 1
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


# ---- 5. what --fix leaves is reported -------------------------------------------------------------------------------

# TFB201 (fixed by batching each sample) at the same call as TFB204 (every sample kept for a mean): batching keeps them.
MC_KEPT = textwrap.dedent("""\
    import numpy as np
    import tf_keras as keras

    x_test = np.zeros((10_000, 64), dtype="float32")
    model = keras.Sequential([keras.layers.Dense(512, activation="relu"), keras.layers.Dropout(0.3),
                              keras.layers.Dense(10)])
    samples = [model(x_test, training=True).numpy() for _ in range(500)]
    mean, std = np.mean(samples, axis=0), np.std(samples, axis=0)
""")


def test_fix_reports_what_the_fix_leaves(tmp_path):
    target = tmp_path / "mc.py"
    target.write_text(MC_KEPT)
    before = run("--no-cache", "--output-format", "concise", "mc.py", cwd=tmp_path)
    assert concise(before) == {("mc.py", 7, 12, "TFB201")}
    result = run("--no-cache", "--fix", "--output-format", "concise", "mc.py", cwd=tmp_path)
    fixed = target.read_text()
    row = next(n for n, line in enumerate(fixed.splitlines(), 1) if line.startswith("samples = "))
    assert "_batched_forward(model, x_test, 256, training=True)" in fixed.splitlines()[row - 1]
    assert concise(result) == {("mc.py", row, 12, "TFB204")}  # at the batched call that replaced the pass
    assert "Found 1 error (1 fixed, 1 remaining)." in result.stdout
    assert result.returncode == 1


# ---- 9. Ctrl-C ------------------------------------------------------------------------------------------------------


def test_ctrl_c_clears_the_progress_line_and_says_what_was_done(tmp_path):
    """Ctrl-C goes to the terminal's whole process group (the workers too), sent once the progress line shows."""
    import pty
    import select

    for number in range(400):
        (tmp_path / f"module_{number:03}.py").write_text(BAD.replace("x_test", f"x_test_{number}"))
    terminal, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "tflint_bnn", "--fix", "-j2", "."], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=child, start_new_session=True)
    os.close(child)
    shown = b""
    while b"checking 400 files" not in shown:
        assert select.select([terminal], [], [], 120)[0], shown
        shown += os.read(terminal, 4096)
    os.killpg(process.pid, signal.SIGINT)
    stdout = process.stdout.read()
    assert process.wait(timeout=120) == 130
    while select.select([terminal], [], [], 1)[0]:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(terminal)
    text = shown.decode()
    assert "Traceback" not in text and stdout == b""
    ending = re.search(r"\r( +)\rinterrupted: (\d+) of 400 files checked, (\d+) fixed\r\n$", text)
    assert ending, repr(text[-300:])
    written = [path for path in tmp_path.glob("module_*.py") if "_batched" in path.read_text()
               or "batch_size=256" in path.read_text()]
    assert len(written) == int(ending.group(3)) <= int(ending.group(2))
    leftovers = [path for path in tmp_path.rglob("*") if path.name.endswith((".tmp", ".tflint-bnn"))]
    assert leftovers == []



def test_ctrl_c_while_the_modules_load_says_interrupted_without_a_traceback():
    """The KeyboardInterrupt is raised where `python -m tflint_bnn` imports the command line."""
    program = ("import runpy, sys, types\n"
               "class Loading(types.ModuleType):\n"
               "    def __getattr__(self, name):\n"
               "        raise KeyboardInterrupt\n"
               "sys.modules['tflint_bnn.cli'] = Loading('tflint_bnn.cli')\n"
               "runpy.run_module('tflint_bnn', run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr, result.stdout) == (130, "interrupted\n", "")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the dropped one, on purpose
def test_a_ctrl_c_dropped_inside_a_finalizer_stops_the_run_at_the_next_file():
    from tflint_bnn.cli import _RecordedInterrupts

    class Finalized:
        def __del__(self):
            os.kill(os.getpid(), signal.SIGINT)
            sum(range(1000))  # the handler runs here: Python prints "Exception ignored in ..." and goes on

    with _RecordedInterrupts() as interrupts:
        Finalized()
        assert interrupts.interrupted
        with pytest.raises(KeyboardInterrupt):
            interrupts.check()

# ---- 10. what the command says --------------------------------------------------------------------------------------


def test_help_lists_commands_exit_codes_and_every_flag_has_help(tmp_path):
    result = run("--help", cwd=tmp_path)
    text = result.stdout
    assert result.returncode == 0
    for command in ("rules", "server", "validate", "check"):
        assert f"\n  tflint-bnn {command}" in text or f"tflint-bnn [{command}]" in text, command
    for status, meaning in (("0", "nothing left"), ("1", "findings remain"), ("2", "usage error"),
                            ("130", "interrupted")):
        assert re.search(rf"^  {status} +{meaning}", text, flags=re.MULTILINE), status
    assert text.count("options:") == 1
    flags = re.findall(r"^  (-[^\n]*?)(?:  +(\S.*))?$", text.split("commands:")[0], flags=re.MULTILINE)
    undocumented = [flag for flag, described in flags if not described
                    and not re.search(rf"^  {re.escape(flag)}\n {{10,}}\S", text, flags=re.MULTILINE)]
    assert undocumented == [] and any(flag.startswith("--no-unsafe-fixes") for flag, _ in flags)


def test_clean_run_says_all_checks_passed_unless_quiet(tmp_path):
    (tmp_path / "good.py").write_text("import tensorflow as tf\n\nprint(tf.__version__)\n")
    (tmp_path / "bad.py").write_text(BAD)
    clean = run("good.py", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "All checks passed!\n")
    quiet = run("-q", "good.py", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    findings = run("-q", "--output-format", "concise", "bad.py", cwd=tmp_path)
    assert findings.returncode == 1 and findings.stdout.count("\n") == 2 and "Found" not in findings.stdout
    assert "All checks passed!" not in run("--output-format", "json", "good.py", cwd=tmp_path).stdout


def test_decode_error_names_the_byte_its_line_and_column(tmp_path):
    (tmp_path / "latin.py").write_bytes(b"import tensorflow\n# caf\xc3\xa9\n\n\n\nname = 'caf\xe9'\n")
    result = run("--no-cache", "latin.py", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("tflint-bnn: error: latin.py: not valid utf-8: byte 0xe9 at line 6, column 12 "
                             "cannot be decoded\n")


def test_progress_shows_from_the_start_on_a_terminal(tmp_path):
    """A line is drawn while the files are found and before any is read: a run that spends minutes reading them
    shows it at once, then how far reading and checking are."""
    from terminal import run_on_terminal

    for number in range(250):
        (tmp_path / f"module_{number:03}.py").write_text(BAD)
    shown = run_on_terminal([sys.executable, "-m", "tflint_bnn", "--no-cache", "-j1", "."], tmp_path,
                            stream="stderr", timeout=300)
    drawn = [line.strip() for line in shown.split("\r") if line.strip()]
    assert drawn[0] == "finding files: 201"  # discovery is past the progress threshold
    stages = [line.split()[0] for line in drawn if not line.startswith("finding")]
    assert drawn[drawn.index("checking 250 files") - 1].startswith("finding")
    assert stages == sorted(stages, key=["checking", "reading", "checked"].index) and "reading" in stages
    assert drawn[-1].startswith("checked 250/250 files")
    assert shown.endswith("\r")  # cleared at the end


def test_license_is_apache_2_as_declared():
    text = (REPO / "LICENSE").read_text()
    assert "Apache License\n                           Version 2.0, January 2004" in text
    assert 'license = { text = "Apache-2.0" }' in (REPO / "pyproject.toml").read_text()


STDIN_CONFIG = textwrap.dedent("""\
    [tool.tflint-bnn]
    per-file-ignores = { "ignored/*" = ["TFB102"] }
""")


def test_stdin_is_checked_with_the_name_config_and_ignores_of_stdin_filename(tmp_path):
    (tmp_path / "pyproject.toml").write_text(STDIN_CONFIG)
    (tmp_path / "ignored").mkdir()
    plain = run("--output-format", "concise", "-", cwd=tmp_path, stdin=BAD)
    assert plain.returncode == 1 and concise(plain) == {("-", 6, 9, "TFB101"), ("-", 8, 11, "TFB102")}
    named = run("--output-format", "concise", "--stdin-filename", "src/model.py", "-", cwd=tmp_path, stdin=BAD)
    assert named.stdout.startswith("src/model.py:6:9: TFB101")
    assert concise(named) == {("model.py", 6, 9, "TFB101"), ("model.py", 8, 11, "TFB102")}
    ignored = run("--output-format", "concise", "--stdin-filename", "ignored/model.py", cwd=tmp_path, stdin=BAD)
    assert concise(ignored) == {("model.py", 6, 9, "TFB101")}  # stdin implied, per-file-ignores applied
    wider = run("--batch-rows", "20000", "--output-format", "concise", "-", cwd=tmp_path, stdin=BAD)
    assert concise(wider) == {("-", 8, 11, "TFB102")}


def test_fix_on_stdin_writes_the_fixed_source_to_stdout(tmp_path):
    result = run("--fix", "--stdin-filename", "model.py", "-", cwd=tmp_path, stdin=BAD)
    assert result.returncode == 0
    assert BAD_FIXED_LINE in result.stdout.splitlines() and result.stdout.startswith("import numpy as np\n")
    assert "Found 2 errors (2 fixed, 0 remaining)." in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, no cache
    unchanged = run("--fix", "-", cwd=tmp_path, stdin="import tensorflow as tf\n")
    assert (unchanged.returncode, unchanged.stdout) == (0, "import tensorflow as tf\n")
    assert run("-", "other.py", cwd=tmp_path).returncode == 2
