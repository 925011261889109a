"""The fixtures, their sizes and budgets, and how to make a sized copy of one.

Budgets are bytes the fixture may add after arm_budget(), set between the measured needs of original and fix
(2 CPU cores, TF 2.21, oneDNN off): margins in docs/validation/README.md.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

# An installed wheel carries the fixtures inside the package (pyproject.toml, force-include); a checkout has them
# at its root, where `tflint-bnn fixtures/` lints them.
_PACKAGED_FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURES_DIR = _PACKAGED_FIXTURES if _PACKAGED_FIXTURES.is_dir() else Path(__file__).resolve().parents[2] / "fixtures"
MIB = 2**20

OOM_THEN_OK = "oom"  # the original must run out of memory under the budget
RUNS_BOTH = "ok"  # a correctness rule: the original must run; its fix must stay within the same budget
# Issue 14: a batched Monte Carlo pass may cost at most 1.3x the full-array pass's time where the latter fits.
MC_TIME_RATIO = 1.3
# Speed, retracing and leak rules (claim fixtures): both run without a budget; what is checked is the cost the rule's
# message states (tflint_bnn.validate.claims: per-call time, trace count, memory growth per cycle).


@dataclass(frozen=True)
class FixtureSpec:
    name: str
    rule: str
    rows: Optional[int]  # None: the fixture has no ROWS/WIDTH constants to size
    width: Optional[int]
    budget_mib: int  # 0: no budget (claim fixtures)
    comparison: str  # a method of tflint_bnn.validate.compare
    original_expected: str = OOM_THEN_OK
    needs_tensorflow: Optional[str] = None  # why it cannot run on Keras 3's JAX or PyTorch backend
    # No autofix: fixtures/handfixed/<file>, a `.fix.txt` replacing the `# expect:` line or a whole `.fixed.py`.
    hand_fix: Optional[str] = None
    scaling_rows: tuple[int, ...] = ()
    # A project fixture is the directory fixtures/<name>/, linted and fixed as a whole; `entry` is the program run.
    entry: Optional[str] = None
    # The fixed run's work time may be at most this many times the unbudgeted original's (None: not judged).
    max_time_ratio: Optional[float] = None
    claim: Optional[str] = None  # a kind of tflint_bnn.validate.claims: the fixture is a claim fixture

    @property
    def filename(self) -> str:
        """The program run, relative to the fixtures directory."""
        return f"{self.name}/{self.entry}" if self.entry else f"{self.name}.py"

    @property
    def program(self) -> str:
        """The program run, relative to the fixture's tree (a single file's tree is that file)."""
        return self.entry or self.filename

    @property
    def source(self) -> Path:
        """What is copied: fixtures/<name>.py, or the directory fixtures/<name>/ of a project fixture."""
        return FIXTURES_DIR / (self.name if self.entry else self.filename)

    @property
    def budget_bytes(self) -> int:
        return self.budget_mib * MIB


def claim_fixture(name: str, rule: str, claim: str, comparison: str = "allclose", **options) -> FixtureSpec:
    """A fixture that checks what a speed, retracing or leak rule claims: no budget, the original must run."""
    return FixtureSpec(name, rule, None, None, 0, comparison, original_expected=RUNS_BOTH, claim=claim, **options)


FIXTURES = (
    FixtureSpec("tfb101_mlp", "TFB101", 100_000, 100, 400, "allclose",
                scaling_rows=(25_000, 50_000, 75_000, 100_000)),
    FixtureSpec("tfb101_cnn", "TFB101", 8_000, 32, 650, "allclose", needs_tensorflow="tf_keras"),
    FixtureSpec("tfb101_tf_function", "TFB101", 100_000, 128, 250, "allclose",
                needs_tensorflow="tf.function", scaling_rows=(25_000, 50_000, 75_000, 100_000)),
    FixtureSpec("tfb201_mc_dropout", "TFB201", 40_000, 64, 300, "row-means", max_time_ratio=MC_TIME_RATIO),
    FixtureSpec("tfb201_flipout", "TFB201", 30_000, 64, 300, "row-means", needs_tensorflow="tfp.layers",
                max_time_ratio=MC_TIME_RATIO),
    FixtureSpec("tfb202_mc_predict", "TFB202", 20_000, 32, 200, "adds-spread", original_expected=RUNS_BOTH),
    FixtureSpec("tfb203_distribution_lambda", "TFB203", 100_000, 48, 600, "row-means",
                needs_tensorflow="tfp.layers", hand_fix="tfb203_distribution_lambda.fix.txt"),
    # The model, the data and the Monte Carlo loop in three modules: only a lint of the directory finds it.
    FixtureSpec("project_mc", "TFB201", 30_000, 64, 250, "row-means", entry="main.py",
                max_time_ratio=MC_TIME_RATIO),
    claim_fixture("tfb102_rl_agent", "TFB102", "per-call", needs_tensorflow="tf.keras"),
    claim_fixture("tfb102_generate", "TFB102", "per-call"),
    claim_fixture("tfb301_lr_schedule", "TFB301", "traces", needs_tensorflow="tf.function",
                  hand_fix="tfb301_lr_schedule.fix.txt"),
    claim_fixture("tfb302_sequence_lengths", "TFB302", "traces", needs_tensorflow="tf.function"),
    claim_fixture("tfb302_batch_sizes", "TFB302", "traces", needs_tensorflow="tf.function"),
    claim_fixture("tfb303_per_epoch", "TFB303", "traces", needs_tensorflow="tf.function"),
    claim_fixture("tfb303_per_batch", "TFB303", "traces", needs_tensorflow="tf.function"),
    # TFB401 has no autofix (clear_session() was measured to leave most of the growth): build once, reset per run.
    claim_fixture("tfb401_kfold", "TFB401", "growth", needs_tensorflow="tf.keras", hand_fix="tfb401_kfold.fixed.py"),
    claim_fixture("tfb401_trials", "TFB401", "growth", needs_tensorflow="tf.keras",
                  hand_fix="tfb401_trials.fixed.py"),
)


def by_name(names: list[str]) -> list[FixtureSpec]:
    known = {spec.name: spec for spec in FIXTURES}
    unknown = [name for name in names if name.removesuffix(".py") not in known]
    if unknown:
        raise KeyError(f"unknown fixtures {unknown}; known: {sorted(known)}")
    return [known[name.removesuffix(".py")] for name in names] if names else list(FIXTURES)


_DEFINES_ROWS = re.compile(r"^ROWS = \d", re.MULTILINE)


def _replace_constant(source: str, name: str, value: int) -> str:
    # A plain module-level assignment, so the linter's static row estimate sees the same number.
    pattern = rf"^({name} = )\d[\d_]*(?=[ \t]*(?:#.*)?$)"
    sized, count = re.subn(pattern, rf"\g<1>{value}", source, flags=re.MULTILINE)
    if count != 1:
        raise ValueError(f"expected exactly one line `{name} = <int>`, found {count}")
    return sized


def sized_source(source: str, rows: Optional[int], width: Optional[int]) -> str:
    if rows is None:  # a claim fixture: nothing to size
        return source
    return _replace_constant(_replace_constant(source, "ROWS", rows), "WIDTH", width)


def sized_tree(spec: FixtureSpec, destination: Path) -> Path:
    """Copies the fixture's tree to `destination` with its ROWS and WIDTH set to the spec's; returns the program.

    A single-file fixture is a tree of one file. In a project, the one module that defines ROWS is sized.
    """
    destination.mkdir(parents=True, exist_ok=True)
    if spec.entry:
        shutil.copytree(spec.source, destination, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    else:
        shutil.copyfile(spec.source, destination / spec.program)
    if spec.rows is None:  # a claim fixture: nothing to size
        return destination / spec.program
    sized = [path for path in sorted(destination.rglob("*.py")) if _DEFINES_ROWS.search(path.read_text())]
    if len(sized) != 1:
        raise ValueError(f"{spec.name}: expected one module defining ROWS, found {[str(p) for p in sized]}")
    sized[0].write_text(sized_source(sized[0].read_text(), spec.rows, spec.width))
    return destination / spec.program


def tree_texts(root: Path) -> dict[str, str]:
    """Every Python file under root, by its path relative to root."""
    return {path.relative_to(root).as_posix(): path.read_text() for path in sorted(root.rglob("*.py"))
            if "__pycache__" not in path.parts}


def with_hand_fix(source: str, rule: str, hand_fix: str, replacement: str) -> str:
    """The hand-fixed program: a whole `.fixed.py` as it is, or the original with the line marked `# expect: RULE`
    replaced by a `.fix.txt`."""
    if hand_fix.endswith(".py"):
        return replacement
    marker = f"# expect: {rule}"
    lines = source.splitlines(keepends=True)
    marked = [i for i, line in enumerate(lines) if marker in line]
    if len(marked) != 1:
        raise ValueError(f"expected one line marked {marker!r}, found {len(marked)}")
    code = "".join(line for line in replacement.splitlines(keepends=True) if not line.startswith("#"))
    lines[marked[0]] = code
    return "".join(lines)
