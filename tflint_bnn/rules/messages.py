"""Wording shared by rule messages: row counts, memory estimates, repetition and where the values come from."""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

from tflint_bnn.program.contexts import Level, total_count
from tflint_bnn.program.values import ModelInfo, Rows

# Field guide §1: peak memory of one forward pass is about 3-4 x rows x widest layer x 4 bytes.
ACTIVATION_FACTOR = 3.5
BYTES_PER_FLOAT = 4
MIB = 2 ** 20


def rows_phrase(rows: Rows, batch_rows: int, here: str = "") -> str:
    """'all 10,000 rows (keras.datasets.mnist test split)', naming the file:line that made them when it is not
    `here` (the finding's file), or 'every row of a full read from disk'."""
    where = f", {rows.where}" if rows.where and not rows.where.startswith((f"{here}:", "line ")) else ""
    if rows.count is not None:
        origin = rows.origin if rows.origin and rows.origin != "one row" else ""
        detail = f"{origin}{where}".lstrip(", ")
        return f"all {rows.count:,} rows" + (f" ({detail})" if detail else "")
    return f"every row of a full read from disk ({rows.origin}{where}; assumed more than {batch_rows:,})"


def activation_bytes(model: ModelInfo, rows: Rows) -> Optional[float]:
    """The field guide's estimate of one pass's activation memory, when the widest layer and the rows are known."""
    widest = model.widest_units
    if widest is None or rows.count is None or not model.layers_visible:
        return None
    return ACTIVATION_FACTOR * rows.count * widest * BYTES_PER_FLOAT


# A full read from disk of unknown size, costed at this many rows, still has to reach min-activation-mib: a model
# whose widest layer is a few units (a Poisson regression head) stays small whatever the file holds.
LOADED_ROWS_CEILING = 1_000_000


def activations_worth_reporting(model: ModelInfo, rows: Rows, min_activation_mib: int) -> bool:
    """A large pass (TFB101, TFB201) is reported when its estimated activations reach `min_activation_mib`, or
    when they cannot be estimated; rows of unknown count from disk are costed at LOADED_ROWS_CEILING."""
    estimate = activation_bytes(model, rows)
    if estimate is None and rows.count is None and rows.loaded:
        estimate = activation_bytes(model, rows.with_count(LOADED_ROWS_CEILING))
    return estimate is None or estimate >= min_activation_mib * MIB


def memory_phrase(model: ModelInfo, rows: Rows) -> str:
    estimate = activation_bytes(model, rows)
    if estimate is None:
        return ""
    return f" (about {human_bytes(estimate)} for a {model.widest_units:,}-unit layer)"


def origins_phrase(origins: Sequence[str], here: str = "") -> str:
    """The callers whose arguments decide the model or the rows: `line 12` in the finding's own file, else
    `train.py:40`."""
    if not origins:
        return ""
    prefix = f"{here}:"
    shown = [f"line {origin[len(prefix):]}" if here and origin.startswith(prefix) else origin for origin in origins]
    return f"; called from {', '.join(shown)}"


def loop_note(level: Level, path: str, line: int) -> str:
    """' (the loop at train.py:77)' after a count of samples, or nothing when that loop sits on the finding's own
    line (`[model(x) for _ in range(50)]`)."""
    here = f"{path}:{line}" if path else f"line {line}"
    return "" if level.where == here else f" ({level.description})"


def repetition_phrase(levels: Tuple[Level, ...]) -> str:
    """'100 times (the loop at train.py:77)', 'on every iteration of the `while` loop at agent.py:12 and ...'."""
    if not levels:
        return "once"
    total = total_count(levels)
    where = ", inside ".join(level.description for level in levels[:3])
    if total is not None:
        return f"{total:,} times ({where})"
    counted = [level.count for level in levels if level.count is not None]
    bound = f"; at least {min(counted):,} times" if counted and min(counted) > 1 else ""
    how_many = "an unbounded" if any(level.endless for level in levels) else "an unknown"
    return f"{how_many} number of times ({where}{bound})"


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
    for unit in ("B", "KiB", "MiB"):
        if count < 1024:
            return f"{count:,.0f} {unit}"
        count /= 1024
    return f"{count:,.1f} GiB"
