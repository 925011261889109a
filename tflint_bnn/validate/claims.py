"""What the speed, retracing and leak rules claim, measured on a run and checked (no numpy, no TensorFlow).

Fixtures state what they did through `emit(..., claims={...})` and `end_cycle()` (tflint_bnn.validate.hooks;
the child records the time and RSS at every end_cycle()), and this module turns a run's metrics into numbers and
a verdict:

- per-call (TFB102): the fixture calls end_cycle() after every call; the median time between two of them, in ms
  (the median, so that the first call's one-time setup and pauses of a shared machine do not decide; the mean
  is kept beside it). Confirmed when the original's per-call time is at least MIN_SPEEDUP times the fixed one's.
  The rule's message quotes an absolute number; the report keeps the measured one beside it.
- traces (TFB301, TFB302, TFB303): `traces` is what the tf.function's own counter
  (`experimental_get_tracing_count()`) reports, `expected` the traces the rule's message predicts for the
  original: one per distinct value or shape passed (TFB301, TFB302), one per iteration that made a new
  tf.function (TFB303). Confirmed when the original traced at least `expected` times and the fix at most
  MAX_FIXED_TRACES times.
- growth (TFB401): RSS after each cycle (`end_cycle()`), least-squares slope in MiB per cycle over the cycles after
  the first SKIP_CYCLES (the first ones load kernels and caches once). Confirmed when the original grows by at least
  MIN_GROWTH_MIB_PER_CYCLE and the fix grows by at most MAX_FIXED_GROWTH_FRACTION of that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

PER_CALL, TRACES, GROWTH = "per-call", "traces", "growth"
KINDS = (PER_CALL, TRACES, GROWTH)

MIN_SPEEDUP = 5.0  # the message says 45 ms vs about 1 ms; measured 14-48x on a shared 2-core machine
MAX_FIXED_TRACES = 2
MIN_GROWTH_MIB_PER_CYCLE = 1.0
MAX_FIXED_GROWTH_FRACTION = 0.5
SKIP_CYCLES = 2
MIB = 2**20


@dataclass(frozen=True)
class ClaimCheck:
    confirmed: bool
    detail: str


def slope(values: Sequence[float]) -> Optional[float]:
    """Least-squares slope of values against their index; None for fewer than two points."""
    n = len(values)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(values) / n
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den


def median(values: Sequence[float]) -> Optional[float]:
    ordered = sorted(values)
    n = len(ordered)
    if not n:
        return None
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def measure(metrics: dict) -> Optional[dict]:
    """The claim numbers of one run, from the child's metrics (None when the fixture stated none)."""
    stated = metrics.get("claims") or {}
    cycles = metrics.get("cycle_rss_bytes") or []
    ends = metrics.get("cycle_end_seconds") or []
    if not stated and not cycles:
        return None
    measured = dict(stated)
    if ends:
        durations = [b - a for a, b in zip([0.0, *ends], ends)]
        measured["calls"] = len(durations)
        measured["per_call_ms"] = round(1000 * median(durations), 3)
        measured["mean_call_ms"] = round(1000 * sum(durations) / len(durations), 3)
    if cycles:
        measured["cycles"] = len(cycles)
        measured["rss_mib_per_cycle_end"] = [round(b / MIB, 1) for b in cycles]
        growth = slope([b / MIB for b in cycles[SKIP_CYCLES:]])
        measured["growth_mib_per_cycle"] = None if growth is None else round(growth, 2)
    return measured


def check(kind: str, original: Optional[dict], fixed: Optional[dict]) -> ClaimCheck:
    if not original or not fixed:
        return ClaimCheck(False, "no claim measured: the fixture did not report it in both runs")
    return _CHECKS[kind](original, fixed)


def _per_call(original: dict, fixed: dict) -> ClaimCheck:
    before, after = original.get("per_call_ms"), fixed.get("per_call_ms")
    if before is None or after is None:
        return ClaimCheck(False, "per-call time missing (the fixture must call end_cycle() after every call)")
    ratio = before / after if after > 0 else float("inf")
    confirmed = ratio >= MIN_SPEEDUP
    return ClaimCheck(confirmed, f"{before:.2f} ms per call as written, {after:.2f} ms fixed (medians; "
                                 f"{ratio:.1f}x, needs >= {MIN_SPEEDUP:g}x)")


def _traces(original: dict, fixed: dict) -> ClaimCheck:
    try:
        before, after, expected = int(original["traces"]), int(fixed["traces"]), int(original["expected"])
    except (KeyError, TypeError, ValueError):
        return ClaimCheck(False, "trace counts missing (the fixture must state `traces` and `expected`)")
    confirmed = before >= expected and after <= MAX_FIXED_TRACES
    return ClaimCheck(confirmed, f"{before} traces as written, {expected} predicted by the rule (needs >= "
                                 f"{expected}), {after} fixed (needs <= {MAX_FIXED_TRACES})")


def _growth(original: dict, fixed: dict) -> ClaimCheck:
    before, after = original.get("growth_mib_per_cycle"), fixed.get("growth_mib_per_cycle")
    if before is None or after is None:
        return ClaimCheck(False, "growth missing (the fixture must call end_cycle() at least "
                                 f"{SKIP_CYCLES + 2} times)")
    confirmed = before >= MIN_GROWTH_MIB_PER_CYCLE and after <= MAX_FIXED_GROWTH_FRACTION * before
    return ClaimCheck(confirmed, f"{before:+.2f} MiB per cycle as written (needs >= {MIN_GROWTH_MIB_PER_CYCLE:g}), "
                                 f"{after:+.2f} fixed (needs <= {MAX_FIXED_GROWTH_FRACTION:g}x the original)")


_CHECKS = {PER_CALL: _per_call, TRACES: _traces, GROWTH: _growth}
