"""Peak memory against N for original and fix: the original should grow linearly, the fix stay flat."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Sequence

from tflint_bnn.validate import catalog
from tflint_bnn.validate.runner import ChildConfig, run_program


def fitted_bytes_per_row(rows: Sequence[int], peaks: Sequence[Optional[int]]) -> Optional[float]:
    """Least-squares slope of peak bytes against rows; None unless every point was measured."""
    if len(rows) < 2 or any(peak is None for peak in peaks):
        return None
    mean_rows = sum(rows) / len(rows)
    mean_peak = sum(peaks) / len(peaks)
    covariance = sum((n - mean_rows) * (p - mean_peak) for n, p in zip(rows, peaks))
    variance = sum((n - mean_rows) ** 2 for n in rows)
    return covariance / variance


def measure_scaling(spec: catalog.FixtureSpec, fixed_text: str, config: ChildConfig, workdir: Path) -> dict:
    """Runs original and fix without a budget at each of spec.scaling_rows."""
    workdir.mkdir(parents=True, exist_ok=True)
    original_text = (catalog.FIXTURES_DIR / spec.filename).read_text()
    series = {}
    for variant, text in (("original", original_text), ("fixed", fixed_text)):
        records = []
        for rows in spec.scaling_rows:
            program = workdir / f"{variant}_{rows}.py"
            program.write_text(catalog.sized_source(text, rows, spec.width))
            record, _ = run_program(config, program, 0, f"{variant}_{rows}", workdir)
            records.append(record)
        peaks = [r.peak_bytes if r.status == "ok" else None for r in records]
        work_peaks = [r.work_peak_bytes if r.status == "ok" else None for r in records]
        series[variant] = {
            "status": [r.status for r in records],
            "peak_bytes": peaks,
            "work_peak_bytes": work_peaks,
            "bytes_per_row": _rounded(fitted_bytes_per_row(spec.scaling_rows, peaks)),
            "work_bytes_per_row": _rounded(fitted_bytes_per_row(spec.scaling_rows, work_peaks)),
        }
    return {"fixture": spec.name, "rows": list(spec.scaling_rows), **series}


def _rounded(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 1)
