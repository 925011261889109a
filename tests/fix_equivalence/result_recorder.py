"""What a fix-equivalence program records about its results, for the harness to compare across the three runs
(as written, after `--fix`, after `--fix --unsafe-fixes`).

Programs import this module and nothing from tflint_bnn: the fixed code must not depend on the linter. Every
record is a plain JSON summary: the type, dtype, shape and values of a result (`record`), or the statistics of
Monte Carlo samples (`record_samples`), whose draws differ between runs by design.
"""

from __future__ import annotations

import importlib.util
from typing import Any, Dict, List

import numpy as np

RECORDS: List[Dict[str, Any]] = []  # the runner empties it before each program and reads it after


class ProgramSkipped(Exception):
    """Raised by `require` when the program needs a package this environment lacks."""


def require(package: str) -> None:
    if importlib.util.find_spec(package) is None:
        raise ProgramSkipped(f"{package} is not installed")


def record(name: str, value: Any, *, values: bool = True) -> None:
    """A result the program reads: its type, dtype and shape, and its values unless `values=False` (results that
    legitimately differ between runs in their values, such as weights initialised by another Keras)."""
    RECORDS.append({"name": name, "kind": "value", "values": values, "summary": describe(value)})


def record_samples(name: str, samples: Any) -> None:
    """Monte Carlo samples, stacked on a leading axis (a list of T outputs, or an array/tensor of shape (T, ...)).
    Several outputs per sample (a list or dict) are summarised output by output."""
    items = list(samples) if isinstance(samples, (list, tuple)) else [samples[i] for i in range(len(samples))]
    RECORDS.append({"name": name, "kind": "samples", "sample_type": type(samples).__name__,
                    "summary": _sample_statistics(items)})


def describe(value: Any) -> Dict[str, Any]:
    """A JSON summary of a value, nested for lists, tuples and dicts."""
    if isinstance(value, (list, tuple)):
        return {"type": type(value).__name__, "items": [describe(item) for item in value]}
    if isinstance(value, dict):
        return {"type": "dict", "items": {str(key): describe(item) for key, item in sorted(value.items())}}
    if value is None or isinstance(value, (bool, str)):
        return {"type": type(value).__name__, "value": value}
    if isinstance(value, (int, float)):
        return {"type": type(value).__name__, "dtype": type(value).__name__, "shape": [],
                "values": [float(value)]}
    array = _as_array(value)
    if array is None:
        return {"type": type(value).__name__}
    return {"type": type(value).__name__, "dtype": str(array.dtype), "shape": list(array.shape),
            "values": array.astype("float64").ravel().tolist() if array.dtype.kind in "biuf" else
            [str(item) for item in array.ravel().tolist()]}


def _as_array(value: Any):
    """An ndarray for arrays, numpy scalars and eager tensors; reading a graph tensor raises, as the program
    reading it would."""
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value)
    if hasattr(value, "numpy"):
        return np.asarray(value.numpy())
    if hasattr(value, "__array__"):
        return np.asarray(value)
    return None


def _sample_statistics(samples: List[Any]) -> Dict[str, Any]:
    first = samples[0]
    if isinstance(first, (list, tuple)):
        return {"type": type(first).__name__,
                "items": [_sample_statistics([sample[i] for sample in samples]) for i in range(len(first))]}
    if isinstance(first, dict):
        return {"type": "dict", "items": {str(key): _sample_statistics([sample[key] for sample in samples])
                                          for key in sorted(first)}}
    arrays = [_as_array(sample) for sample in samples]
    stacked = np.stack([np.asarray(array, dtype="float64") for array in arrays])
    return {"type": type(first).__name__, "dtype": str(arrays[0].dtype), "shape": list(arrays[0].shape),
            "count": len(arrays),
            "mean": float(stacked.mean()),
            "spread": float(stacked.std(axis=0).mean()),  # mean over elements of the std across samples
            "distinct": bool(np.any(stacked != stacked[0]))}
