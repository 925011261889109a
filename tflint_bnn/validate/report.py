"""The JSON report and the one-line-per-fixture progress on stderr."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # suite needs numpy; the report and --help must not
    from tflint_bnn.validate.suite import FixtureResult

MIB = 2**20


def fixture_entry(result: "FixtureResult") -> dict:
    spec = result.spec
    comparison = result.comparison
    return {
        "fixture": spec.name,
        "rule": spec.rule,
        "program": spec.filename,  # under fixtures/; a project fixture's entry point
        "rows": spec.rows,
        "width": spec.width,
        "flagged": result.flagged,
        "findings": result.findings,
        "budget_bytes": spec.budget_bytes,
        "original_expected": spec.original_expected,
        "original": _record(result.original),
        "original_unbudgeted": _record(result.reference),
        "fix_source": result.fix_source,
        "fixed_still_flagged": result.fixed_still_flagged,
        "fixed": _record(result.fixed),
        # fixed work_seconds / the original's (the unbudgeted run where the budgeted one runs out of memory)
        "time_ratio": result.time_ratio,
        "max_time_ratio": spec.max_time_ratio,
        # the original's work_peak_bytes (unbudgeted where it runs out of memory) / the fixed run's
        "memory_ratio": result.memory_ratio,
        "comparison": spec.comparison,
        "outputs_match": comparison.outputs_match if comparison else None,
        "comparison_detail": comparison.detail if comparison else None,
        "claim": spec.claim,
        "claim_confirmed": result.claim_check.confirmed if result.claim_check else None,
        "claim_detail": result.claim_check.detail if result.claim_check else None,
        "skipped": result.skipped,
        "confirmed": result.confirmed,
        "verdict": result.verdict,
        "problems": result.problems,
    }


def _record(record) -> Optional[dict]:
    return record.to_json() if record else None


def build_report(device: str, backend: str, backend_reason: str, results, scaling: list[dict]) -> dict:
    return {
        "device": device,
        "backend": backend,
        "backend_reason": backend_reason,
        "budget_meaning": (
            "CPU: RLIMIT_DATA = VmData at arm_budget() + budget_bytes. GPU: the whole allocator's limit "
            "(TensorFlow logical-device memory_limit, torch memory fraction or XLA client memory fraction)."
        ),
        "fixtures": [fixture_entry(result) for result in results],
        "scaling": scaling,
        "all_confirmed": all(result.verdict in ("confirmed", "skipped") for result in results),
    }


def _mib(value: Optional[int]) -> str:
    return "?" if value is None else f"{value / MIB:,.0f} MiB"


def _run_summary(name: str, record) -> str:
    if record is None:
        return f"{name} not run"
    memory = f"peak {_mib(record.peak_bytes)}, work {_mib(record.work_peak_bytes)}"
    work = "" if record.work_seconds is None else f", work {record.work_seconds:.1f} s"
    return f"{name} {record.status} ({memory}, {record.seconds:.1f} s{work})"


def progress_line(index: int, total: int, result: "FixtureResult") -> str:
    head = f"[{index}/{total}] {result.spec.name} {result.spec.rule}"
    if result.skipped:
        return f"{head}: skipped: {result.skipped}"
    parts = [
        "flagged" if result.flagged else "NOT flagged",
        f"budget {_mib(result.spec.budget_bytes)}" if result.spec.budget_bytes else "no budget",
        _run_summary("original", result.original),
        _run_summary("fixed", result.fixed),
    ]
    if result.time_ratio is not None:
        parts.append(f"work time {result.time_ratio:.2f}x the original's")
    if result.memory_ratio is not None:
        parts.append(f"work memory {result.memory_ratio:.1f}x less")
    if result.claim_check:
        parts.append(f"claim: {result.claim_check.detail}")
    if result.comparison:
        parts.append({True: "outputs match", False: "outputs DIFFER", None: "outputs not comparable"}[
            result.comparison.outputs_match])
    parts.append("confirmed" if result.confirmed else "NOT confirmed: " + "; ".join(result.problems))
    return f"{head}: " + " | ".join(parts)
