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
