"""Wording shared by rule messages: row counts, memory estimates, call-site provenance."""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from tflint_bnn.analysis.values import ModelInfo, Rows

# Field guide §1: peak memory of one forward pass is about 3-4 x rows x widest layer x 4 bytes.
ACTIVATION_FACTOR = 3.5
BYTES_PER_FLOAT = 4


def rows_phrase(rows: Rows, batch_rows: int) -> str:
    """'all 10,000 rows (keras.datasets.mnist test split)' or 'every row of a full read from disk'."""
    if rows.count is not None:
        origin = f" ({rows.origin})" if rows.origin and rows.origin != "one row" else ""
        return f"all {rows.count:,} rows{origin}"
    return f"every row of a full read from disk ({rows.origin}; assumed more than {batch_rows:,})"


def memory_phrase(model: ModelInfo, rows: Rows) -> str:
    widest = model.widest_units
    if widest is None or rows.count is None or not model.layers_visible:
        return ""
    estimate = ACTIVATION_FACTOR * rows.count * widest * BYTES_PER_FLOAT
    return f" (about {_human_bytes(estimate)} for a {widest:,}-unit layer)"


def via_phrase(lines: Iterable[Optional[int]]) -> str:
    known = sorted({line for line in lines if line is not None})
    if not known:
        return ""
    where = ", ".join(str(line) for line in known)
    return f"; the rows come from the call at line{'s' if len(known) > 1 else ''} {where}"


def origins_phrase(origins: Sequence[str]) -> str:
    """Cross-file findings: the callers (`file:line`) whose arguments make the rows large."""
    return f"; the rows come from {', '.join(origins)}" if origins else ""


def is_large(rows: Optional[Rows], batch_rows: int) -> bool:
    if rows is None:
        return False
    return rows.count > batch_rows if rows.count is not None else rows.loaded


def shorten(code: str, limit: int = 60) -> str:
    """Source code on one line, cut to `limit` characters for a message."""
    flat = " ".join(code.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def human_bytes(count: float) -> str:
    """A byte count for a message: '19 MiB', '1.2 GiB'."""
    return _human_bytes(count)


def _human_bytes(count: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if count < 1024:
            return f"{count:,.0f} {unit}"
        count /= 1024
    return f"{count:,.1f} GiB"
