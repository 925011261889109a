"""The runtime fix-equivalence suite's harness: lint every program, fix copies with `--fix` and with
`--fix --unsafe-fixes`, run all three versions in subprocesses (several programs per process), and compare what
each recorded (result_recorder.py).

A safe fix must keep every recorded result: type, dtype, shape and values within a float tolerance; Monte Carlo
samples by their statistics (mean, spread across samples) and by whether they vary at all. An unsafe fix must run
where the original ran. Run as a script it prints the suite's counts.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
SETTINGS = HERE / "lint_settings.toml"
RUNNER = HERE / "run_programs.py"
REPO = HERE.parents[1]
MODES = ("original", "safe", "unsafe")
PROGRAMS_PER_PROCESS = 8
RUN_TIMEOUT_S = 600
# Batched and whole-array passes sum in a different order (oneDNN picks kernels by batch size).
RTOL, ATOL = 1e-4, 1e-5
# Monte Carlo statistics: the mean may move by this many standard errors (taken as if all rows shared one draw,
# as tfp weight samples make them), and the spread across samples by at most this ratio either way.
MEAN_STANDARD_ERRORS = 4.0
SPREAD_RATIO = 1.55
_DIRECTIVE = re.compile(r"^# fixeq: (\S+)(?: (.*))?$", re.MULTILINE)


@dataclass(frozen=True)
class Program:
    name: str
    path: Path
    expects: tuple  # rule codes the program must trigger; "TFB101|TFB201": either
    original_fails: bool  # the original is expected to fail (TFB501: Keras 3 rejects tfp layers)


@dataclass
class SuiteRun:
    findings: Dict[str, List[dict]]  # program -> findings with their fix (lint with --unsafe-fixes)
    sources: Dict[str, Dict[str, str]]  # mode -> program -> source
    results: Dict[str, Dict[str, dict]]  # mode -> program -> runner entry
    refixed: List[str]  # programs that a second `--fix --unsafe-fixes` changed again (should be none)
    logs: List[str] = field(default_factory=list)


def programs() -> List[Program]:
    found = []
    for path in sorted(PROGRAMS.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        directives = {}
        for key, value in _DIRECTIVE.findall(text):
            directives.setdefault(key, []).append(value)
        expects = tuple(code for value in directives.get("expects", []) for code in value.split())
        found.append(Program(path.stem, path, expects, "original-fails" in directives))
    return found


def tool(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "tflint_bnn", "--config", str(SETTINGS), "--no-cache", "--exit-zero",
               *arguments]
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, env=environment)


def run_suite(root: Path, selected: Optional[List[Program]] = None) -> SuiteRun:
    selected = programs() if selected is None else selected
    trees = {mode: root / mode for mode in MODES}
    for tree in trees.values():
        tree.mkdir(parents=True)
        for program in selected:
            shutil.copy2(program.path, tree / program.path.name)
    logs = []
    linted = tool("--output-format", "json", "--unsafe-fixes", ".", cwd=trees["original"])
    logs.append(linted.stderr)
    findings: Dict[str, List[dict]] = {program.name: [] for program in selected}
    for finding in json.loads(linted.stdout or "[]"):
        findings[Path(finding["filename"]).stem].append(finding)
    for mode, flags in (("safe", ("--fix",)), ("unsafe", ("--fix", "--unsafe-fixes"))):
        fixed = tool(*flags, ".", cwd=trees[mode])
        logs.append(fixed.stdout[-2000:] + fixed.stderr[-2000:])
    sources = {mode: {p.name: (trees[mode] / p.path.name).read_text(encoding="utf-8") for p in selected}
               for mode in MODES}
    again = root / "fixed-twice"
    shutil.copytree(trees["unsafe"], again)
    tool("--fix", "--unsafe-fixes", ".", cwd=again)
    refixed = [p.name for p in selected
               if (again / p.path.name).read_text(encoding="utf-8") != sources["unsafe"][p.name]]
    results = _run_all(root, trees, selected, sources)
    return SuiteRun(findings, sources, results, refixed, logs)


def _run_all(root: Path, trees: Dict[str, Path], selected: List[Program], sources) -> Dict[str, Dict[str, dict]]:
    """Each mode's programs in processes of a few programs each, two processes at a time. A fixed program whose
    source is the same as the version before it gives the same results and is not run again."""
    jobs = []
    for mode in MODES:
        previous = MODES[MODES.index(mode) - 1] if mode != "original" else None
        changed = [p for p in selected if previous is None or sources[mode][p.name] != sources[previous][p.name]]
        chunks = [changed[i:i + PROGRAMS_PER_PROCESS] for i in range(0, len(changed), PROGRAMS_PER_PROCESS)]
        for number, chunk in enumerate(chunks):
            jobs.append((mode, chunk, root / "results" / f"{mode}-{number}.jsonl"))
    (root / "results").mkdir()
    workers = max(1, min(2, os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        done = list(pool.map(lambda job: _run_chunk(root, trees, *job), jobs))
    results: Dict[str, Dict[str, dict]] = {mode: {} for mode in MODES}
    for (mode, _, _), entries in zip(jobs, done):
        results[mode].update(entries)
    for index, mode in enumerate(MODES[1:], start=1):
        for program in selected:
            results[mode].setdefault(program.name, results[MODES[index - 1]][program.name])
    return results


def _run_chunk(root: Path, trees: Dict[str, Path], mode: str, chunk: List[Program], out: Path) -> Dict[str, dict]:
    command = [sys.executable, str(RUNNER), str(out), str(root / "work" / mode),
               *[str(trees[mode] / p.path.name) for p in chunk]]
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0")
    environment.pop("PYTHONPATH", None)  # the fixed programs must run without tflint_bnn on the path
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env=environment)
        tail = proc.stderr[-3000:]
    except subprocess.TimeoutExpired as expired:
        tail = f"timed out after {RUN_TIMEOUT_S} s: {str(expired.stderr or '')[-2000:]}"
    entries = {}
    if out.exists():
        for line in out.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            entries[entry["program"]] = entry
    for program in chunk:
        entries.setdefault(program.name, {"program": program.name, "status": "error", "records": [],
                                          "error": f"the runner process ended before this program: {tail}"})
    return entries


# --- comparison -------------------------------------------------------------------------------------------------


def differences(original: List[dict], fixed: List[dict]) -> List[str]:
    """How the fixed program's records differ from the original's; empty when they match."""
    names = [r["name"] for r in original], [r["name"] for r in fixed]
    if names[0] != names[1]:
        return [f"recorded {names[1]} instead of {names[0]}"]
    found = []
    for before, after in zip(original, fixed):
        compare = _compare_samples if before["kind"] == "samples" else _compare_values
        if before["kind"] == "samples" and before["sample_type"] != after["sample_type"]:
            found.append(f"{before['name']}: samples held in {after['sample_type']}, not {before['sample_type']}")
        found += [f"{before['name']}{where}" for where in compare(before["summary"], after["summary"],
                                                                   before.get("values", True))]
    return found


def _compare_values(before: dict, after: dict, values: bool, where: str = "") -> List[str]:
    if before["type"] != after["type"]:
        return [f"{where}: {after['type']} instead of {before['type']}"]
    if "items" in before:
        return _compare_items(before, after, lambda b, a, w: _compare_values(b, a, values, w), where)
    if "value" in before:
        return [] if before["value"] == after["value"] else [f"{where}: {after['value']!r} != {before['value']!r}"]
    if "dtype" not in before:
        return []
    found = _compare_layout(before, after, where)
    if found or not values:
        return found
    worst = max((abs(a - b) - (ATOL + RTOL * abs(b)) for b, a in zip(before["values"], after["values"])
                 if not (math.isnan(a) and math.isnan(b))), default=-1.0)
    if worst > 0 or any(math.isnan(a) != math.isnan(b) for b, a in zip(before["values"], after["values"])):
        return [f"{where}: values differ (largest excess over the tolerance {worst:.3g})"]
    return []


def _compare_samples(before: dict, after: dict, values: bool, where: str = "") -> List[str]:
    if before["type"] != after["type"]:
        return [f"{where}: each sample is a {after['type']}, not a {before['type']}"]
    if "items" in before:
        return _compare_items(before, after, lambda b, a, w: _compare_samples(b, a, values, w), where)
    found = _compare_layout(before, after, where)
    if before["count"] != after["count"]:
        found.append(f"{where}: {after['count']} samples instead of {before['count']}")
    if before["distinct"] != after["distinct"]:
        state = "vary" if after["distinct"] else "are all identical"
        found.append(f"{where}: the samples now {state}")
    if found or not values:
        return found
    spread = max(before["spread"], after["spread"])
    allowed = MEAN_STANDARD_ERRORS * spread / math.sqrt(before["count"]) + ATOL + RTOL * abs(before["mean"])
    if abs(after["mean"] - before["mean"]) > allowed:
        found.append(f"{where}: sample mean {after['mean']:.5g} instead of {before['mean']:.5g} (allowed "
                     f"+-{allowed:.3g})")
    if before["distinct"] and not (1 / SPREAD_RATIO <= after["spread"] / before["spread"] <= SPREAD_RATIO):
        found.append(f"{where}: spread across samples {after['spread']:.5g} instead of {before['spread']:.5g}")
    return found


def _compare_layout(before: dict, after: dict, where: str) -> List[str]:
    found = []
    if before["dtype"] != after["dtype"]:
        found.append(f"{where}: dtype {after['dtype']} instead of {before['dtype']}")
    if before["shape"] != after["shape"]:
        found.append(f"{where}: shape {after['shape']} instead of {before['shape']}")
    return found


def _compare_items(before: dict, after: dict, compare, where: str) -> List[str]:
    keys_before = list(before["items"]) if isinstance(before["items"], dict) else list(range(len(before["items"])))
    keys_after = list(after["items"]) if isinstance(after["items"], dict) else list(range(len(after["items"])))
    if keys_before != keys_after:
        return [f"{where}: items {keys_after} instead of {keys_before}"]
    found = []
    for key in keys_before:
        found += compare(before["items"][key], after["items"][key], f"{where}[{key!r}]")
    return found


# --- verdicts and counts ----------------------------------------------------------------------------------------


def fixes_of(run: SuiteRun, program: str, applicability: str) -> List[str]:
    return [f"{f['code']}: {f['fix']['message']}" for f in run.findings[program]
            if f.get("fix") and f["fix"]["applicability"] == applicability]


def safe_problems(run: SuiteRun, program: Program) -> List[str]:
    """Why the `--fix` version does not keep the original's results (empty: it does)."""
    original, safe = run.results["original"][program.name], run.results["safe"][program.name]
    if program.original_fails:  # a fix that makes it run is welcome; one that was not applied changes nothing
        unchanged = run.sources["safe"][program.name] == run.sources["original"][program.name]
        return [] if unchanged or safe["status"] == "ok" else [f"the fixed program fails: {safe.get('error')}"]
    if safe["status"] != "ok":
        return [f"the fixed program fails: {safe.get('error')}"]
    return differences(original["records"], safe["records"])


def unsafe_problems(run: SuiteRun, program: Program) -> List[str]:
    unsafe = run.results["unsafe"][program.name]
    if program.original_fails and run.sources["unsafe"][program.name] == run.sources["original"][program.name]:
        return []
    return [] if unsafe["status"] == "ok" else [f"the unsafe-fixed program fails: {unsafe.get('error')}"]


def counts(run: SuiteRun, selected: List[Program]) -> dict:
    safe = sum(len(fixes_of(run, p.name, "safe")) for p in selected)
    unsafe = sum(len(fixes_of(run, p.name, "unsafe")) for p in selected)
    safe_ok = sum(len(fixes_of(run, p.name, "safe")) for p in selected if not safe_problems(run, p))
    unsafe_ok = sum(len(fixes_of(run, p.name, "unsafe")) for p in selected if not unsafe_problems(run, p))
    return {"programs": len(selected), "safe_fixes": safe, "safe_fixes_matching": safe_ok,
            "unsafe_fixes": unsafe, "unsafe_fixes_running": unsafe_ok}


def main() -> int:
    import tempfile
    import time

    selected = programs()
    if len(sys.argv) > 1:
        selected = [p for p in selected if any(p.name.startswith(prefix) for prefix in sys.argv[1:])]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        run = run_suite(Path(scratch), selected)
    for program in selected:
        verdicts = []
        for mode in MODES:
            entry = run.results[mode][program.name]
            verdicts.append(f"{mode}={entry['status']}")
        problems = safe_problems(run, program) + unsafe_problems(run, program)
        print(f"{program.name}: {' '.join(verdicts)} safe={fixes_of(run, program.name, 'safe')} "
              f"unsafe={fixes_of(run, program.name, 'unsafe')}")
        for problem in problems:
            print(f"    {problem}")
        if run.results["original"][program.name]["status"] != "ok":
            print(f"    original: {run.results['original'][program.name].get('error')}")
    print(json.dumps(counts(run, selected)), f"wall {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
