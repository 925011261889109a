"""Many files: --jobs (same output as one process), the result cache, and the progress bar (real subprocesses)."""

import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sources import BAD
from terminal import run_on_terminal

from tflint_bnn import __version__
from tflint_bnn.engine import Linter
from tflint_bnn.settings import Settings

UNSAFE_ONLY = textwrap.dedent("""\
    import numpy as np
    import tensorflow as tf

    x = np.zeros((10_000, 32), dtype="float32")
    model = tf.keras.models.load_model("m.keras")
    y = model(x)
""")
CLEAN = "import tensorflow as tf\n\nprint(tf.__version__)\n"
SYNTAX_ERROR = "import tensorflow as tf\ndef broken(:\n"


def run(*args, cwd, env=None):
    return subprocess.run(_command(*args), cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def _command(*args):
    return [sys.executable, "-m", "tflint_bnn", *map(str, args)]


def entries(project: Path):
    return sorted((project / ".tflint_bnn_cache" / __version__).glob("*.pickle"))


@pytest.fixture
def project(tmp_path):
    """30 files in two packages: 9 with two findings, 9 with one, clean files, and two files that cannot be checked."""
    for index in range(30):
        folder = tmp_path / ("pkg_a" if index % 2 else "pkg_b")
        folder.mkdir(exist_ok=True)
        text = (BAD, UNSAFE_ONLY, CLEAN)[index % 3]
        (folder / f"mod_{index:02}.py").write_text(text.replace("10_000", f"{10_000 + index}"))
    (tmp_path / "pkg_a" / "mod_07.py").write_text(SYNTAX_ERROR)
    (tmp_path / "pkg_b" / "mod_12.py").write_bytes(b"import tensorflow\x00\n")
    return tmp_path


def test_jobs_give_the_output_of_one_process_in_discovery_order(project):
    one = run("-j1", "--no-cache", cwd=project)
    two = run("-j2", "--no-cache", cwd=project)
    assert (one.returncode, one.stdout, one.stderr) == (two.returncode, two.stdout, two.stderr)
    assert one.returncode == 2
    assert one.stderr.splitlines() == [
        "tflint-bnn: error: pkg_a/mod_07.py: syntax error at line 2, column 12: invalid syntax",
        "tflint-bnn: error: pkg_b/mod_12.py: contains NUL bytes; not a Python source file",
    ]
    located = [line.split(":")[0] for line in one.stdout.splitlines() if line.startswith("pkg_")]
    assert located == sorted(located) and len(set(located)) == 18
    assert "pkg_a/mod_01.py:6:5: TFB101 `model(x)` runs one forward pass over all 10,001 rows" in one.stdout


def test_jobs_give_the_same_json_and_diff(project):
    for mode in (["--output-format", "json"], ["--diff"]):
        one = run("-j1", "--no-cache", *mode, cwd=project)
        two = run("-j2", "--no-cache", *mode, cwd=project)
        assert one.stdout and two.stdout == one.stdout


def test_fix_in_parallel_fixes_every_file_even_with_cached_findings(project):
    run(cwd=project)
    result = run("-j2", "--fix", cwd=project)
    assert result.returncode == 2  # the two broken files
    assert "Found 9 errors (18 fixed, 9 remaining)." in result.stdout
    assert "batch_size=256" in (project / "pkg_b" / "mod_00.py").read_text()
    again = run("-j2", cwd=project)
    assert "Found 9 errors." in again.stdout and "[*]" not in again.stdout


def test_jobs_must_be_positive(project):
    result = run("--jobs", "0", cwd=project)
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_cache_is_created_tagged_and_read(project):
    reference = run("--no-cache", cwd=project)
    assert not (project / ".tflint_bnn_cache").exists()
    first = run(cwd=project)
    cache = project / ".tflint_bnn_cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (cache / ".gitignore").read_text() == "*\n"
    assert len(entries(project)) == 28  # one summary per file; files that cannot be read or parsed have none
    assert (first.stdout, first.stderr) == (reference.stdout, reference.stderr)
    # A hit is served without parsing: a doctored entry (a summary with no calls) shows up in the output.
    for entry in entries(project):
        with entry.open("rb") as handle:
            summary = pickle.load(handle)
        for function in summary.functions.values():
            function.calls.clear()
        entry.write_bytes(pickle.dumps(summary))
    [whole_run] = cache.glob("*/run-*.json")  # an unchanged run is served whole, without even the summaries
    whole_run.write_text(whole_run.read_text().replace("TFB101", "TFB999"))
    assert "TFB999" in run(cwd=project).stdout
    whole_run.unlink()
    assert "TFB" not in run(cwd=project).stdout


def test_a_changed_file_or_option_is_not_served_from_the_cache(project):
    run(cwd=project)
    target = project / "pkg_b" / "mod_00.py"
    target.write_text(CLEAN)
    assert "pkg_b/mod_00.py" not in run(cwd=project).stdout
    target.write_text(BAD)
    assert "pkg_b/mod_00.py:6:9: TFB101" in run(cwd=project).stdout
    assert "TFB101" not in run("--batch-rows", "20000", cwd=project).stdout
    selected = run("--select", "TFB102", cwd=project).stdout
    assert "TFB101" not in selected and "TFB102" in selected
    assert run(cwd=project).stdout == run("--no-cache", cwd=project).stdout


def test_corrupt_entries_are_ignored_and_rewritten(project):
    reference = run("--no-cache", cwd=project)
    run(cwd=project)
    # Truncated, empty, another shape, and a pickle naming a callable (never loaded: only summary classes are).
    garbage = [b"", b"not a pickle", pickle.dumps({"findings": []}), pickle.dumps([]), b"\xff\xfe",
               pickle.dumps(os.getcwd)]
    for index, entry in enumerate(entries(project)):
        entry.write_bytes(garbage[index % len(garbage)])
    [whole_run] = (project / ".tflint_bnn_cache" / __version__).glob("run-*.json")
    whole_run.write_text('[[[{"code": 1}], []]]')  # JSON of another shape: a miss, so the summaries are read
    result = run(cwd=project)
    assert (result.returncode, result.stdout, result.stderr) == (
        reference.returncode, reference.stdout, reference.stderr)
    for entry in entries(project):
        with entry.open("rb") as handle:
            assert type(pickle.load(handle)).__name__ == "ModuleSummary"


def test_runs_sharing_a_cache_at_once_are_both_correct(project):
    reference = run("--no-cache", cwd=project)
    processes = [subprocess.Popen(_command(f"-j{jobs}"), cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for jobs in (1, 2, 2)]
    for process in processes:
        stdout, stderr = process.communicate(timeout=300)
        assert (process.returncode, stdout, stderr) == (reference.returncode, reference.stdout, reference.stderr)
    left = [p.name for p in (project / ".tflint_bnn_cache" / __version__).iterdir() if p.suffix != ".pickle"]
    assert len(left) == 1 and left[0].startswith("run-") and left[0].endswith(".json")  # no temp file is left


def test_no_cache_writes_nothing_and_an_unusable_cache_location_is_skipped(project):
    run("--no-cache", "--fix", cwd=project)
    assert not (project / ".tflint_bnn_cache").exists()
    (project / ".tflint_bnn_cache").write_text("a file where the cache directory would go")
    result = run(cwd=project)
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 2


def test_findings_round_trip_through_json():
    findings = Linter(Settings(unsafe_fixes=True)).lint(BAD + UNSAFE_ONLY.replace("import", "# import"))
    assert findings and all(f.fix for f in findings)
    from tflint_bnn.findings import Finding

    assert [Finding.from_json(json.loads(json.dumps(f.to_json()))) for f in findings] == findings


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patched function reaches workers by fork")
def test_a_worker_that_dies_costs_only_its_file(project, monkeypatch):
    from tflint_bnn import runner

    real = runner.summarise_file

    def dies_on_mod_04(path, job):
        if path.name == "mod_04.py":
            os._exit(3)
        return real(path, job)

    monkeypatch.setattr(runner, "summarise_file", dies_on_mod_04)
    paths = sorted(project.rglob("*.py"))
    job = runner.Job(Settings(root=project), runner.Mode.CHECK, None)
    outcomes = list(runner.check_files(paths, job, jobs=2))
    assert [outcome.path for outcome in outcomes] == paths
    died = [outcome.path.name for outcome in outcomes if any("process died" in e for e in outcome.errors)]
    assert died == ["mod_04.py"]
    assert sum(len(outcome.remaining) for outcome in outcomes) == 27 - 1


def on_terminal_stderr(project):
    return run_on_terminal(_command("-j2"), project, stream="stderr", timeout=120)


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs(tmp_path):
    for index in range(250):
        (tmp_path / f"small_{index:03}.py").write_text(f"value = {index}\n")
    shown = on_terminal_stderr(tmp_path)
    assert "checked 250/250 files (" in shown and "files/s)" in shown
    assert shown.endswith("\r")  # cleared at the end
    assert run(cwd=tmp_path).stderr == ""
    for index in range(51):
        (tmp_path / f"small_{index:03}.py").unlink()
    assert "files/s" not in on_terminal_stderr(tmp_path)  # 199 files: too short a run for a bar
