"""Draws the scaling check: memory against N, original vs fixed (matplotlib, part of the validate extra)."""

from __future__ import annotations

from pathlib import Path

MIB = 2**20


def plot_scaling(scaling: list[dict], device: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")  # files only; no display on CI
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, len(scaling), figsize=(5.5 * len(scaling), 4.2), squeeze=False)
    for axis, entry in zip(axes[0], scaling):
        for variant, style in (("original", "o-"), ("fixed", "s-")):
            points = [(n, p) for n, p in zip(entry["rows"], entry[variant]["work_peak_bytes"]) if p is not None]
            slope = entry[variant]["work_bytes_per_row"]
            label = f"{variant} ({slope:,.0f} B/row)" if slope is not None else variant
            axis.plot([n for n, _ in points], [p / MIB for _, p in points], style, label=label)
        axis.set_title(entry["fixture"])
        axis.set_xlabel("rows N")
        axis.set_ylabel("peak RSS added by inference (MiB)")
        axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
        axis.legend()
    figure.suptitle(f"Peak memory vs N, original vs tflint-bnn --fix ({device})")
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _claim_bars(fixtures: list[dict], value, ylabel: str, title: str, path: Path, log: bool) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [entry["fixture"] + ("\n(hand-written fix)" if (entry.get("fix_source") or "").startswith("hand") else "")
             for entry in fixtures]
    before = [value(entry["original"]) for entry in fixtures]
    after = [value(entry["fixed"]) for entry in fixtures]
    positions = range(len(names))
    figure, axis = plt.subplots(figsize=(max(5.0, 1.6 * len(names) + 2), 4.2))
    width = 0.38
    for offset, values, label in ((-width / 2, before, "as written"), (width / 2, after, "fixed")):
        bars = axis.bar([p + offset for p in positions], [v or 0 for v in values], width, label=label)
        axis.bar_label(bars, labels=["?" if v is None else f"{v:,.3g}" for v in values], fontsize=8)
    axis.set_xticks(list(positions), names, rotation=15, ha="right")
    axis.set_ylabel(ylabel)
    if log:
        axis.set_yscale("log")
    axis.set_title(title)
    axis.grid(alpha=0.3, axis="y")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def _claimed(report: dict, kind: str) -> list[dict]:
    return [entry for entry in report["fixtures"] if entry.get("claim") == kind and entry.get("original")
            and entry.get("fixed") and entry["original"].get("claims") and entry["fixed"].get("claims")]


def plot_per_call(report: dict, path: Path) -> bool:
    """TFB102 fixtures: ms per call, original vs fixed (log scale). False when the report has none."""
    fixtures = _claimed(report, "per-call")
    if fixtures:
        _claim_bars(fixtures, lambda run: run["claims"].get("per_call_ms"), "ms per call (log scale)",
                    f"Time per call: predict vs the fixed direct call ({report['device']})", path, log=True)
    return bool(fixtures)


def plot_traces(report: dict, path: Path) -> bool:
    """TFB30x fixtures: traces from the tf.function's own counter, original vs fixed."""
    fixtures = _claimed(report, "traces")
    if fixtures:
        _claim_bars(fixtures, lambda run: run["claims"].get("traces"), "traces (experimental_get_tracing_count)",
                    f"tf.function traces, original vs fixed ({report['device']})", path, log=False)
    return bool(fixtures)
