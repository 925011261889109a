"""Runs one fixture in a fresh process: `python -m tflint_bnn.validate.child FIXTURE.py`.

The parent passes the budget and file paths in the environment (names below). An exception from the
fixture is left to propagate, so its traceback on stderr is what the parent classifies; metrics are
written in any case.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import time
from pathlib import Path

from tflint_bnn.validate import budget, devices, hooks

ENV_BUDGET = "TFLINT_BNN_VALIDATE_BUDGET_BYTES"  # 0: no budget (reference and scaling runs)
ENV_DEVICE = "TFLINT_BNN_VALIDATE_DEVICE"  # cpu | gpu
ENV_BACKEND = "TFLINT_BNN_VALIDATE_BACKEND"  # tensorflow | jax | torch
ENV_METRICS = "TFLINT_BNN_VALIDATE_METRICS"  # JSON written here
ENV_OUTPUTS = "TFLINT_BNN_VALIDATE_OUTPUTS"  # .npz of the emitted arrays


class ChildSession:
    def __init__(self, device_budget, outputs_path: Path):
        self._budget = device_budget
        self._outputs_path = outputs_path
        self._armed_at = None
        self._setup_peak = None
        self._rss_at_arm = None
        self._peak_was_reset = False
        self._emitted = False
        self._claims = {}
        self._cycle_rss = []
        self._cycle_ends = []

    def arm(self) -> None:
        self._setup_peak = budget.own_status_bytes("VmHWM")
        self._rss_at_arm = budget.own_status_bytes("VmRSS")
        self._peak_was_reset = budget.reset_peak_rss()
        self._budget.arm()
        self._armed_at = time.perf_counter()

    def end_cycle(self) -> None:
        if self._armed_at is not None and not self._emitted:
            self._cycle_ends.append(time.perf_counter() - self._armed_at)
            self._cycle_rss.append(budget.own_status_bytes("VmRSS"))

    def emit(self, outputs: dict, claims: dict) -> None:
        import numpy as np

        # The fixture's work is done: saving its outputs is not part of what the budget measures.
        self._work_seconds = time.perf_counter() - self._armed_at
        self._work_peak = budget.own_status_bytes("VmHWM")
        self._budget.release()
        self._claims = {name: _to_number(value) for name, value in claims.items()}
        np.savez(self._outputs_path, **{name: _to_numpy(value) for name, value in outputs.items()})
        self._emitted = True

    def metrics(self) -> dict:
        self._budget.release()
        if self._armed_at is None:
            return {"armed": False, "peak_bytes": budget.peak_rss_bytes()}
        if not self._emitted:
            self._work_seconds = time.perf_counter() - self._armed_at
            self._work_peak = budget.own_status_bytes("VmHWM")
        return {
            "armed": True,
            "emitted": self._emitted,
            "peak_bytes": max(self._setup_peak, self._work_peak),
            # What the budgeted part added on top of setup; unknown when VmHWM could not be reset.
            "work_peak_bytes": self._work_peak - self._rss_at_arm if self._peak_was_reset else None,
            "device_peak_bytes": self._budget.device_peak_bytes(),
            "work_seconds": self._work_seconds,
            "claims": self._claims,
            "cycle_rss_bytes": self._cycle_rss,
            "cycle_end_seconds": self._cycle_ends,
        }


def _to_numpy(value):
    import numpy as np

    if hasattr(value, "numpy"):  # TensorFlow eager tensors (and CPU torch tensors)
        return np.asarray(value.numpy())
    return np.asarray(value)


def _to_number(value):
    value = value.numpy() if hasattr(value, "numpy") else value
    return value.item() if hasattr(value, "item") else value


def main(argv: list[str]) -> None:
    (fixture,) = argv
    device_budget = devices.open_budget(
        os.environ.get(ENV_DEVICE, "cpu"),
        os.environ.get(ENV_BACKEND, "tensorflow"),
        int(os.environ.get(ENV_BUDGET, "0")),
    )
    session = ChildSession(device_budget, Path(os.environ[ENV_OUTPUTS]))
    hooks.attach(session)
    # As `python FIXTURE.py` would: the program's directory first on sys.path, so a project fixture's
    # main.py imports the modules beside it.
    sys.path.insert(0, str(Path(fixture).resolve().parent))
    try:
        runpy.run_path(fixture, run_name="__main__")
    finally:
        Path(os.environ[ENV_METRICS]).write_text(json.dumps(session.metrics()))


if __name__ == "__main__":
    main(sys.argv[1:])
