"""Speed and memory of tflint-bnn on real TF code, side by side with CPython's parser and flake8, in one run.

    python benchmarks/bench_lint.py [--cache DIR] [--skip-flake8] [--flake8-files N]

Every tool runs in its own fresh process over the same corpus (benchmarks/corpus.py: TFP, tf-keras, Keras and
KerasHub from PyPI); wall time and the child's peak RSS (wait4) are measured here and printed as ratios against
the goals: a cold whole-program run in one process at most 3x `ast.parse` of the same files, a warm run (the
summary cache filled) at most 0.3x, peak RSS at most 1 GiB, and flake8 with the plugin at most 1.3x flake8
without it on 300 of the files (the plugin is left out by a wrapper that bans it the way flake8 bans obsolete
plugins, so both runs use the same installation), first with no plugin summary cache in the corpus (cold), then
again with the one that run left (warm).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEFAULT_CACHE, build, python_files  # noqa: E402

from tflint_bnn.cache import CACHE_DIR_NAME  # noqa: E402

AST_FLOOR = """
import ast, sys
for path in sys.argv[1:]:
    try:
        ast.parse(open(path, "rb").read())
    except (SyntaxError, ValueError):
        pass
"""


FLAKE8_WITHOUT_PLUGIN = """
import sys
import flake8.plugins.finder as finder
finder.BANNED_PLUGINS = {**finder.BANNED_PLUGINS, "tflint-bnn": "0"}
from flake8.main.cli import main
sys.exit(main())
"""
GOALS = {"cold -j1 / ast.parse": 3.0, "warm -j1 / ast.parse": 0.3, "peak RSS MiB": 1024,
         "flake8+plugin cold / flake8": 1.3, "flake8+plugin warm / flake8": 1.3}


def measure(command, cwd):
    """(wall seconds, CPU seconds, peak RSS in MiB) of one child process (with the workers it waited for). The
    ratios are taken on CPU time, which a busy machine disturbs far less than wall time."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _remove_plugin_caches(corpus: Path) -> None:
    for cache in corpus.rglob(CACHE_DIR_NAME):
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--skip-flake8", action="store_true")
    parser.add_argument("--flake8-files", type=int, default=300)
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
            step = max(1, len(files) // args.flake8_files)
            sample = [str(path) for path in files[::step][:args.flake8_files]]
            flake8 = ["-m", "flake8", "-j1", "--exit-zero", "--output-file", os.devnull]
            runs[f"flake8 ({len(sample)} files)"] = measure([python, "-c", FLAKE8_WITHOUT_PLUGIN, *flake8[2:],
                                                             *sample], workdir)
            # The plugin keeps its summary cache at each file's project root (here: the corpus folders). Cold: none
            # there yet (a first run, or one after an upgrade); warm: the run again, as pre-commit and editors see it.
            _remove_plugin_caches(corpus)
            runs[f"flake8+plugin cold ({len(sample)})"] = measure([python, *flake8, *sample], workdir)
            runs[f"flake8+plugin warm ({len(sample)})"] = measure([python, *flake8, *sample], workdir)
            _remove_plugin_caches(corpus)
    floor = runs["ast.parse (floor)"][1]
    print(f"corpus: {len(files):,} files, {lines:,} lines ({corpus}); {os.cpu_count()} CPU cores")
    print(f"{'run':<26}{'wall s':>10}{'CPU s':>10}{'x floor':>10}{'peak MiB':>10}")
    for name, (seconds, cpu, peak) in runs.items():
        print(f"{name:<26}{seconds:>10.1f}{cpu:>10.1f}{cpu / floor:>10.2f}{peak:>10.0f}")
    measured = {"cold -j1 / ast.parse": runs["tflint-bnn cold -j1"][1] / floor,
                "warm -j1 / ast.parse": runs["tflint-bnn warm -j1"][1] / floor,
                "peak RSS MiB": max(peak for name, (_, _, peak) in runs.items() if name.startswith("tflint-bnn"))}
    if not args.skip_flake8:
        without, cold, warm = (cpu for name, (_, cpu, _) in runs.items() if name.startswith("flake8"))
        measured["flake8+plugin cold / flake8"] = cold / without
        measured["flake8+plugin warm / flake8"] = warm / without
    for name, goal in GOALS.items():
        if name in measured:
            verdict = "meets" if measured[name] <= goal else "MISSES"
            print(f"{name:<26}{measured[name]:>10.2f}   goal <= {goal:g}: {verdict}")


if __name__ == "__main__":
    main()
