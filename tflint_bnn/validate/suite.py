"""Validates one fixture: flagged by the linter, original out of memory under the budget, fix within it,
same results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from tflint_bnn.validate import catalog, claims, linter
from tflint_bnn.validate.compare import Comparison, compare
from tflint_bnn.validate.outcome import OK
from tflint_bnn.validate.runner import ChildConfig, RunRecord, run_program

LINTER_FIX = "tflint-bnn --fix --unsafe-fixes"


@dataclass
class FixtureResult:
    spec: catalog.FixtureSpec
    skipped: Optional[str] = None
    flagged: Optional[bool] = None
    findings: list = field(default_factory=list)  # (code, row) of everything the linter reported
    fix_source: Optional[str] = None
    fixed_still_flagged: Optional[bool] = None
    fixed_text: Optional[str] = None  # reused by the scaling check
    original: Optional[RunRecord] = None
    reference: Optional[RunRecord] = None  # the original without a budget, for its outputs
    fixed: Optional[RunRecord] = None
    comparison: Optional[Comparison] = None
    time_ratio: Optional[float] = None  # fixed work seconds / the original's (unbudgeted where it OOMs)
    memory_ratio: Optional[float] = None  # the original's work peak (unbudgeted where it OOMs) / the fixed one's
    claim_check: Optional[claims.ClaimCheck] = None  # claim fixtures: the cost the rule states, and the fix's
    problems: list = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return self.skipped is None and not self.problems

    @property
    def verdict(self) -> str:
        if self.skipped:
            return "skipped"
        return "confirmed" if self.confirmed else "not confirmed"


def validate_fixture(spec: catalog.FixtureSpec, config: ChildConfig, workdir: Path) -> FixtureResult:
    result = FixtureResult(spec)
    if spec.needs_tensorflow and config.backend != "tensorflow":
        result.skipped = f"needs TensorFlow ({spec.needs_tensorflow}); this run uses Keras 3 on {config.backend}"
        return result
    # The program and the modules beside it, copied twice: the fix rewrites the second copy in place.
    workdir.mkdir(parents=True, exist_ok=True)
    original_path = catalog.sized_tree(spec, workdir / "original")
    fixed_path = catalog.sized_tree(spec, workdir / "fixed")
    try:
        _lint_and_fix(result, config.python, original_path, fixed_path)
    except linter.LinterError as err:
        result.problems.append(str(err))
        return result

    result.original, original_outputs = run_program(config, original_path, spec.budget_bytes, "original", workdir)
    if result.original.status != spec.original_expected:
        result.problems.append(f"original: expected {spec.original_expected}, got {result.original.status}")
    if spec.original_expected != OK:
        result.reference, original_outputs = run_program(config, original_path, 0, "reference", workdir)
        if result.reference.status != OK:
            result.problems.append(f"original without a budget: {result.reference.status}")
    result.fixed, fixed_outputs = run_program(config, fixed_path, spec.budget_bytes, "fixed", workdir)
    if result.fixed.status != OK:
        result.problems.append(f"fixed: expected ok, got {result.fixed.status}")
    result.time_ratio = time_ratio(result.reference or result.original, result.fixed)
    result.memory_ratio = memory_ratio(result.reference or result.original, result.fixed)
    problem = time_problem(spec.max_time_ratio, result.time_ratio)
    if problem:
        result.problems.append(problem)

    if spec.claim and result.original.status == OK and result.fixed.status == OK:
        result.claim_check = claims.check(spec.claim, result.original.claims, result.fixed.claims)
        if not result.claim_check.confirmed:
            result.problems.append(f"claim ({spec.claim}): {result.claim_check.detail}")

    if original_outputs and fixed_outputs:
        with np.load(original_outputs) as original, np.load(fixed_outputs) as fixed:
            result.comparison = compare(spec.comparison, dict(original), dict(fixed))
        if not result.comparison.confirmed:
            result.problems.append(f"outputs: {result.comparison.detail}")
    return result


def time_ratio(baseline: Optional[RunRecord], fixed: Optional[RunRecord]) -> Optional[float]:
    """Fixed work seconds over the original's, both run to the end (the original without a budget)."""
    if baseline is None or fixed is None or OK != baseline.status or OK != fixed.status:
        return None
    if not baseline.work_seconds or fixed.work_seconds is None:
        return None
    return round(fixed.work_seconds / baseline.work_seconds, 2)


def memory_ratio(baseline: Optional[RunRecord], fixed: Optional[RunRecord]) -> Optional[float]:
    """How many times less work memory the fix needs than the original, both run to the end."""
    if baseline is None or fixed is None or OK != baseline.status or OK != fixed.status:
        return None
    if not fixed.work_peak_bytes or baseline.work_peak_bytes is None:
        return None
    return round(baseline.work_peak_bytes / fixed.work_peak_bytes, 1)


def time_problem(limit: Optional[float], ratio: Optional[float]) -> Optional[str]:
    """Judged only where the spec sets a limit and the original ran to the end without a budget."""
    if limit is None or ratio is None or ratio <= limit:
        return None
    return f"time: the fix's work took {ratio:.2f}x the original's (limit {limit:.2f}x)"


def _lint_and_fix(result: FixtureResult, python: str, original_path: Path, fixed_path: Path) -> None:
    """A project fixture is linted and fixed as a directory (its findings may span modules); a single file alone."""
    spec = result.spec
    original_root, fixed_root = original_path.parent, fixed_path.parent
    original_target = original_root if spec.entry else original_path
    fixed_target = fixed_root if spec.entry else fixed_path
    original_texts = catalog.tree_texts(original_root)
    found = linter.findings(python, original_target)
    result.findings = [_finding_summary(spec, original_root, f) for f in found]
    result.flagged = bool(linter.marked_findings(found, original_root, original_texts, spec.rule))
    if not result.flagged:
        result.problems.append(f"{spec.rule} not reported on the line marked `# expect: {spec.rule}`")

    if spec.hand_fix:
        result.fix_source = f"hand-written: fixtures/handfixed/{spec.hand_fix}"
        replacement = (catalog.FIXTURES_DIR / "handfixed" / spec.hand_fix).read_text()
        fixed_path.write_text(catalog.with_hand_fix(original_path.read_text(), spec.rule, spec.hand_fix,
                                                     replacement))
    else:
        result.fix_source = LINTER_FIX
        linter.apply_fixes(python, fixed_target)
        if catalog.tree_texts(fixed_root) == original_texts:
            result.problems.append("--fix --unsafe-fixes left the program unchanged")
    result.fixed_text = fixed_path.read_text()
    result.fixed_still_flagged = any(f.get("code") == spec.rule for f in linter.findings(python, fixed_target))
    if result.fixed_still_flagged:
        result.problems.append(f"the fixed program is still reported under {spec.rule}")


def _finding_summary(spec: catalog.FixtureSpec, root: Path, finding: dict) -> tuple:
    """(code, row), and for a project fixture (code, module, row)."""
    row = finding.get("location", {}).get("row")
    if not spec.entry:
        return finding.get("code"), row
    return finding.get("code"), linter.relative_name(root, finding.get("filename", "")), row
