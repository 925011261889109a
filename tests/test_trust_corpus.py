"""Trust, real code: `--fix --unsafe-fixes` over every file of the benchmark corpus (benchmarks/corpus.py).

The corpus is ~3,800 files of published TensorFlow / Keras / TFP source. In a temp copy: no internal error, every
file the fix changed still parses, and a second run changes nothing. The counts are printed (`pytest -s`).

Every corpus file is checked (none is sampled away): the files are named explicitly on the command line, so
default excludes (`build`, `env`, ...) cannot hide any.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import corpus  # noqa: E402

FINDING = re.compile(r"^(?P<path>.+?):\d+:\d+: (?P<code>TFB\d{3}) ", re.MULTILINE)
FIXED = re.compile(r"^Fixed (\d+) errors?:$", re.MULTILINE)
TIMEOUT_S = 900  # generous: about 3-6 minutes on 2 cores


def _corpus() -> Path:
    try:
        return corpus.build()
    except (subprocess.CalledProcessError, OSError) as error:
        pytest.skip(f"the benchmark corpus is not built and PyPI cannot be reached to build it: {error}")


def _run_fix(files, cwd):
    """One run over the files, named explicitly; the CLI spreads them over every core (--jobs defaults to that)."""
    command = [sys.executable, "-m", "tflint_bnn", "--fix", "--unsafe-fixes", "--no-cache", "--show-fixes"]
    return subprocess.run(command + [str(f.relative_to(cwd)) for f in files], cwd=cwd, text=True,
                          capture_output=True, timeout=TIMEOUT_S)


def test_fix_over_the_whole_corpus(tmp_path):
    source = _corpus()
    originals = corpus.python_files(source)
    assert len(originals) > 3000, "the corpus is incomplete: remove ~/.cache/tflint-bnn/corpus and rebuild"
    copy = tmp_path / "corpus"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("_wheels", ".complete"))
    files = corpus.python_files(copy)
    assert len(files) == len(originals)

    started = time.perf_counter()
    first = _run_fix(files, copy)
    elapsed = time.perf_counter() - started

    errors = first.stderr.splitlines()
    internal = [line for line in errors if "internal error" in line or "Traceback" in line]
    invalid_fix = [line for line in errors if "a fix produced invalid code" in line]
    assert internal == [], "\n".join(internal)
    assert invalid_fix == [], "\n".join(invalid_fix)
    assert first.returncode in (0, 1) or (first.returncode == 2 and errors), (first.returncode, first.stderr)

    changed = [f for f in files if f.read_bytes() != (source / f.relative_to(copy)).read_bytes()]
    for file in changed:
        text = file.read_text(encoding="utf-8")
        cst.parse_module(text)
        ast.parse(text, filename=str(file))
    stdout = first.stdout
    remaining = {match["path"] for match in FINDING.finditer(stdout)}
    fixed_findings = sum(int(n) for n in FIXED.findall(stdout))
    assert bool(changed) == (fixed_findings > 0)

    # Idempotence: the second run names the same files (cross-file findings depend on the whole set). When the
    # first run changed nothing, the second would see the same input and is skipped.
    if changed:
        fixed_once = {f: f.read_bytes() for f in files}
        started = time.perf_counter()
        second = _run_fix(files, copy)
        elapsed_second = time.perf_counter() - started
        assert "internal error" not in second.stderr and not FIXED.search(second.stdout), second.stdout + second.stderr
        assert [f for f in files if f.read_bytes() != fixed_once[f]] == []
        assert sorted(FINDING.findall(second.stdout)) == sorted(FINDING.findall(stdout))
    else:
        elapsed_second = 0.0

    with_findings = remaining | {str(f.relative_to(copy)) for f in changed}
    print(f"\ncorpus: {len(files)} files, {len(with_findings)} with findings, {len(changed)} fixed "
          f"({fixed_findings} findings fixed, {len(FINDING.findall(stdout))} remaining), {len(errors)} error lines, "
          f"runs of {elapsed:.0f} s and {elapsed_second:.0f} s on {os.cpu_count()} cores")
