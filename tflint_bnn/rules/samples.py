"""What keeping every Monte Carlo output costs: TFB204 reports it, TFB201 says it too when it reports the call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from tflint_bnn.analysis.vocabulary import WIDTH_PRESERVING
from tflint_bnn.program.facts import ForwardPass
from tflint_bnn.program.values import ModelInfo
from tflint_bnn.rules.messages import BYTES_PER_FLOAT, LOADED_ROWS_CEILING, MIB, human_bytes, is_large
from tflint_bnn.settings import Settings


@dataclass(frozen=True)
class Retained:
    label: str  # "`preds`" or "the list"
    size: str  # "50 samples x 10,000 rows x 10 outputs x 4 bytes = 19 MiB"


def retained(found: ForwardPass, settings: Settings) -> Optional[Retained]:
    """Every output of a Monte Carlo loop kept in a list that is only reduced to moments, when that costs at least
    `min-retained-mib` (or the rows are large and the count unknown: rows of unknown count from disk must reach it
    at LOADED_ROWS_CEILING, as TFB101 and TFB201 cost them)."""
    sampling = found.sampling
    site = found.site
    kept = site.retention_of_distribution if found.model.distribution_head else site.retention
    if sampling is None or kept is None or not (found.stochastic or found.identical_samples):
        return None
    samples = sampling.count
    rows = found.rows.count if found.rows is not None else None
    width = None if found.model.distribution_head else output_width(found.model)
    factors = [f"{samples:,} samples" if samples else "T samples", f"{rows:,} rows" if rows else "N rows",
               f"{width:,} output{'s' if width != 1 else ''}" if width else "outputs"]
    if samples and rows:
        total = samples * rows * (width or 1) * BYTES_PER_FLOAT
        if total < settings.min_retained_mib * MIB:
            return None
        size = " x ".join(factors) + (f" x 4 bytes = {human_bytes(total)}" if width else
                                      f" x 4 bytes: at least {human_bytes(total)}")
        return Retained(kept.label, size)
    if not is_large(found.rows, settings.batch_rows):
        return None
    if samples and width and found.rows.loaded and rows is None and \
            samples * LOADED_ROWS_CEILING * width * BYTES_PER_FLOAT < settings.min_retained_mib * MIB:
        return None  # small even if the file held LOADED_ROWS_CEILING rows
    return Retained(kept.label, " x ".join(factors))


def output_width(model: ModelInfo) -> Optional[int]:
    """Values per row of the model's output: the last Dense layer's units, if nothing after it changes the width."""
    if not model.layers_visible:
        return None
    for layer in reversed(model.layers):
        if layer.units is not None:
            return layer.units
        if layer.name not in WIDTH_PRESERVING:
            return None
    return None
