"""Compares a fixed program's outputs with the original's.

Methods, chosen per fixture in the catalog:
- allclose: deterministic models; batching only reorders float32 sums.
- row-means: stochastic models whose emitted arrays have the Monte Carlo samples on axis 0. Random streams
  differ once a pass is split into batches, so samples are compared in distribution: per row, a Welch z of
  the two sample means, z = (m1 - m2) / sqrt((s1^2 + s2^2) / T). Outputs match when at most 1% of rows have
  |z| > 4 (about 0.1% expected under the same distribution at T >= 10) and the median ratio of per-row standard
  deviations lies in [0.8, 1.25] (a fix that lost the randomness fails here even when its means agree).
- adds-spread: TFB202, whose fix changes results on purpose: the original's samples must be identical (the
  bug) and the fixed samples must vary per row. Outputs are not expected to match: the verdict is None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

import numpy as np

ALLCLOSE_RTOL = 1e-4
ALLCLOSE_ATOL = 1e-5
Z_LIMIT = 4.0
MAX_OUTLIER_FRACTION = 0.01
SPREAD_RATIO_RANGE = (0.8, 1.25)


@dataclass(frozen=True)
class Comparison:
    outputs_match: Optional[bool]  # None: no match is expected (the reason is in detail)
    confirmed: bool  # whether the comparison supports the fix
    detail: str


def compare(method: str, original: Mapping[str, np.ndarray], fixed: Mapping[str, np.ndarray]) -> Comparison:
    if sorted(original) != sorted(fixed):
        return Comparison(False, False, f"emitted arrays differ: {sorted(original)} vs {sorted(fixed)}")
    for name in original:
        if original[name].shape != fixed[name].shape:
            return Comparison(False, False, f"{name}: shape {original[name].shape} vs {fixed[name].shape}")
    return _METHODS[method](original, fixed)


def allclose(original, fixed) -> Comparison:
    worst = {name: float(np.max(np.abs(original[name] - fixed[name]), initial=0.0)) for name in original}
    match = all(
        np.allclose(original[name], fixed[name], rtol=ALLCLOSE_RTOL, atol=ALLCLOSE_ATOL) for name in original
    )
    return Comparison(match, match, f"allclose(rtol={ALLCLOSE_RTOL}, atol={ALLCLOSE_ATOL}); max |diff| {worst}")


@dataclass(frozen=True)
class RowMeanTest:
    outlier_fraction: float  # rows with |z| > Z_LIMIT
    spread_ratio: float  # median over rows of fixed std / original std

    @property
    def passed(self) -> bool:
        low, high = SPREAD_RATIO_RANGE
        return self.outlier_fraction <= MAX_OUTLIER_FRACTION and low <= self.spread_ratio <= high


def row_mean_test(original: np.ndarray, fixed: np.ndarray) -> RowMeanTest:
    """Samples on axis 0; every other position is a "row" of the test."""
    samples = original.shape[0]
    if samples < 2:
        raise ValueError("the row-means test needs at least two samples per row")
    original, fixed = original.astype(np.float64), fixed.astype(np.float64)
    mean_o, mean_f = original.mean(axis=0), fixed.mean(axis=0)
    std_o, std_f = original.std(axis=0, ddof=1), fixed.std(axis=0, ddof=1)
    standard_error = np.sqrt((std_o**2 + std_f**2) / samples)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(standard_error > 0, (mean_o - mean_f) / standard_error, np.where(mean_o == mean_f, 0.0, np.inf))
        ratio = np.where(std_o > 0, std_f / std_o, np.where(std_f > 0, np.inf, 1.0))
    return RowMeanTest(float(np.mean(np.abs(z) > Z_LIMIT)), float(np.median(ratio)))


def row_means(original, fixed) -> Comparison:
    results = {name: row_mean_test(original[name], fixed[name]) for name in original}
    match = all(result.passed for result in results.values())
    summary = {
        name: f"{r.outlier_fraction:.4f} of rows |z|>{Z_LIMIT}, median std ratio {r.spread_ratio:.3f}"
        for name, r in results.items()
    }
    return Comparison(match, match, f"per-row Welch z on sample means: {summary}")


def _rows_with_identical_samples(samples: np.ndarray) -> np.ndarray:
    """Per row: all T samples equal the first up to float32 noise (repeated predicts differ in the last bits)."""
    close = np.isclose(samples, samples[:1], rtol=ALLCLOSE_RTOL, atol=ALLCLOSE_ATOL)
    return close.reshape(close.shape[0], close.shape[1], -1).all(axis=(0, 2))


def adds_spread(original, fixed) -> Comparison:
    """The original's T samples identical per row, the fixed ones varying in (nearly) every row."""
    original_identical = all(_rows_with_identical_samples(original[name]).all() for name in original)
    varying_fraction = min(float(np.mean(~_rows_with_identical_samples(fixed[name]))) for name in fixed)
    confirmed = original_identical and varying_fraction >= 1 - MAX_OUTLIER_FRACTION
    return Comparison(
        None,
        confirmed,
        "fix changes results on purpose (predict ran with training=False): "
        f"original samples identical per row: {original_identical}; "
        f"fixed samples vary in {varying_fraction:.4f} of rows",
    )


_METHODS = {"allclose": allclose, "row-means": row_means, "adds-spread": adds_spread}
METHODS = tuple(_METHODS)
