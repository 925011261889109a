"""Speed and memory of tflint-bnn on real TF code, side by side with CPython's parser and flake8, in one run.

    python benchmarks/bench_lint.py [--cache DIR] [--skip-flake8]

Every tool runs in its own fresh process over the same corpus (benchmarks/corpus.py: TFP, tf-keras, Keras and
KerasHub from PyPI); wall time and the child's peak RSS (wait4) are measured here and printed as ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_CACHE, build, python_files  # noqa: E402

AST_FLOOR = """
import ast, sys
for path in sys.argv[1:]:
    try:
        ast.parse(open(path, "rb").read())
    except (SyntaxError, ValueError):
        pass
"""


def measure(command, cwd):
    """(seconds, peak RSS in MiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--skip-flake8", action="store_true")
    args = parser.parse_args()
    corpus = build(args.cache)
    files = python_files(corpus)
    lines = sum(len(path.read_bytes().splitlines()) for path in files)
    python = sys.executable
    lint = [python, "-m", "tflint_bnn", "--exit-zero", "--output-format", "json"]
    with tempfile.TemporaryDirectory() as workdir:  # the result cache lands here, never in the corpus
        runs = {"ast.parse (floor)": measure([python, "-c", AST_FLOOR, *map(str, files)], workdir)}
        runs["tflint-bnn cold -j1"] = measure([*lint, "--no-cache", "-j1", str(corpus)], workdir)
        measure([*lint, "-j1", str(corpus)], workdir)  # fills the cache
        runs["tflint-bnn warm -j1"] = measure([*lint, "-j1", str(corpus)], workdir)
        runs["tflint-bnn cold -j2"] = measure([*lint, "--no-cache", "-j2", str(corpus)], workdir)
        if not args.skip_flake8:
            runs["flake8 -j1"] = measure([python, "-m", "flake8", "-j1", "--exit-zero", str(corpus)], workdir)
    floor = runs["ast.parse (floor)"][0]
    cold = runs["tflint-bnn cold -j1"][0]
    print(f"corpus: {len(files):,} files, {lines:,} lines ({corpus}); {os.cpu_count()} CPU cores")
    print(f"{'run':<22}{'seconds':>10}{'x floor':>10}{'files/s':>10}{'peak MiB':>10}")
    for name, (seconds, peak) in runs.items():
        print(f"{name:<22}{seconds:>10.1f}{seconds / floor:>10.2f}{len(files) / seconds:>10.0f}{peak:>10.0f}")
    print(f"goal 1: tflint-bnn cold / ast.parse = {cold / floor:.2f} (goal <= 2.00)")
    if "flake8 -j1" in runs:
        print(f"goal 2: flake8 / tflint-bnn cold = {runs['flake8 -j1'][0] / cold:.2f} (goal >= 5.00)")


if __name__ == "__main__":
    main()
