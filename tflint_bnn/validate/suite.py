"""Validates one fixture: flagged by the linter, original out of memory under the budget, fix within it,
same results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from tflint_bnn.validate import catalog, linter
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
    problems: list = field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return self.skipped is None and not self.problems


def validate_fixture(spec: catalog.FixtureSpec, config: ChildConfig, workdir: Path) -> FixtureResult:
    result = FixtureResult(spec)
    if spec.needs_tensorflow and config.backend != "tensorflow":
        result.skipped = f"needs TensorFlow ({spec.needs_tensorflow}); this run uses Keras 3 on {config.backend}"
        return result
    workdir.mkdir(parents=True, exist_ok=True)
    original_text = catalog.sized_source((catalog.FIXTURES_DIR / spec.filename).read_text(), spec.rows, spec.width)
    original_path = workdir / "original.py"
    original_path.write_text(original_text)
    fixed_path = workdir / "fixed.py"
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

    if original_outputs and fixed_outputs:
        with np.load(original_outputs) as original, np.load(fixed_outputs) as fixed:
            result.comparison = compare(spec.comparison, dict(original), dict(fixed))
        if not result.comparison.confirmed:
            result.problems.append(f"outputs: {result.comparison.detail}")
    return result


def _lint_and_fix(result: FixtureResult, python: str, original_path: Path, fixed_path: Path) -> None:
    spec = result.spec
    original_text = original_path.read_text()
    found = linter.findings(python, original_path)
    result.findings = [(f.get("code"), f.get("location", {}).get("row")) for f in found]
    result.flagged = bool(linter.marked_findings(found, original_text, spec.rule))
    if not result.flagged:
        result.problems.append(f"{spec.rule} not reported on the line marked `# expect: {spec.rule}`")

    if spec.hand_fix:
        result.fix_source = f"hand-written: fixtures/handfixed/{spec.hand_fix}"
        replacement = (catalog.FIXTURES_DIR / "handfixed" / spec.hand_fix).read_text()
        fixed_path.write_text(catalog.with_hand_fix(original_text, spec.rule, replacement))
    else:
        result.fix_source = LINTER_FIX
        fixed_path.write_text(original_text)
        linter.apply_fixes(python, fixed_path)
        if fixed_path.read_text() == original_text:
            result.problems.append("--fix --unsafe-fixes left the program unchanged")
    result.fixed_text = fixed_path.read_text()
    result.fixed_still_flagged = any(f.get("code") == spec.rule for f in linter.findings(python, fixed_path))
    if result.fixed_still_flagged:
        result.problems.append(f"the fixed program is still reported under {spec.rule}")
