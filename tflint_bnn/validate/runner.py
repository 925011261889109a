"""Runs one fixture program in a fresh child process and records what happened."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from tflint_bnn.validate import child, claims
from tflint_bnn.validate.outcome import ERROR, OK, Outcome, classify

# The directory holding the tflint_bnn package: children import the hooks from here even when the
# package is not installed in the interpreter that runs them.
_PACKAGE_PARENT = Path(__file__).resolve().parents[2]
_STDERR_TAIL_LINES = 15


@dataclass(frozen=True)
class ChildConfig:
    python: str
    device: str  # cpu | gpu
    backend: str  # tensorflow | jax | torch
    timeout_s: float = 600.0


@dataclass
class RunRecord:
    status: str  # ok | oom | error
    detail: Optional[str]
    peak_bytes: Optional[int]  # child's peak RSS, setup included
    work_peak_bytes: Optional[int]  # RSS the budgeted part added on top of setup
    device_peak_bytes: Optional[int]  # GPU allocator peak; None on CPU
    seconds: float  # wall time of the whole child, imports included
    work_seconds: Optional[float]  # from arm_budget() to emit() or failure
    claims: Optional[dict] = None  # what a speed/retracing/leak fixture measured (tflint_bnn.validate.claims)

    def to_json(self) -> dict:
        return asdict(self)


def package_environment() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_PACKAGE_PARENT), env.get("PYTHONPATH")]))
    return env


def child_environment(config: ChildConfig, budget_bytes: int, metrics: Path, outputs: Path) -> dict:
    env = package_environment()
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"  # keeps errors, drops TF's info chatter
    env[child.ENV_BUDGET] = str(budget_bytes)
    env[child.ENV_DEVICE] = config.device
    env[child.ENV_BACKEND] = config.backend
    env[child.ENV_METRICS] = str(metrics)
    env[child.ENV_OUTPUTS] = str(outputs)
    if config.backend != "tensorflow":
        env["KERAS_BACKEND"] = config.backend
    if config.device == "cpu":
        # oneDNN allocates scratch memory outside TensorFlow's allocator and does not survive a refused
        # allocation (measured: SIGSEGV in tf.function MatMul and in Conv2D under RLIMIT_DATA). With it off,
        # TensorFlow's own kernels allocate through its allocator and report ResourceExhaustedError.
        env["TF_ENABLE_ONEDNN_OPTS"] = "0"
    return env


def run_program(config: ChildConfig, program: Path, budget_bytes: int, label: str, workdir: Path):
    """Returns (RunRecord, path of the emitted outputs or None)."""
    metrics_path = workdir / f"{label}.metrics.json"
    outputs_path = workdir / f"{label}.npz"
    env = child_environment(config, budget_bytes, metrics_path, outputs_path)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [config.python, "-m", "tflint_bnn.validate.child", str(program.resolve())],
            env=env, capture_output=True, text=True, timeout=config.timeout_s, cwd=workdir,
        )
        returncode, stderr = proc.returncode, proc.stderr
    except subprocess.TimeoutExpired as timeout:
        returncode, stderr = None, (timeout.stderr or b"").decode(errors="replace")
    seconds = time.perf_counter() - started
    (workdir / f"{label}.stderr.txt").write_text(stderr)

    metrics = json.loads(metrics_path.read_text()) if metrics_path.exists() else {}
    outcome = _check_protocol(classify(returncode, stderr), metrics)
    if outcome.status == ERROR and outcome.detail and "traceback" in outcome.detail:
        outcome = Outcome(ERROR, outcome.detail + "\n" + "\n".join(stderr.splitlines()[-_STDERR_TAIL_LINES:]))
    record = RunRecord(
        status=outcome.status,
        detail=outcome.detail,
        peak_bytes=metrics.get("peak_bytes"),
        work_peak_bytes=metrics.get("work_peak_bytes"),
        device_peak_bytes=metrics.get("device_peak_bytes"),
        seconds=round(seconds, 2),
        work_seconds=_rounded(metrics.get("work_seconds")),
        claims=claims.measure(metrics),
    )
    return record, (outputs_path if record.status == OK else None)


def _check_protocol(outcome: Outcome, metrics: dict) -> Outcome:
    """A run that exited 0 only counts as ok if the fixture armed its budget and emitted its outputs."""
    if outcome.status != OK:
        return outcome
    if not metrics.get("armed"):
        return Outcome(ERROR, "fixture never called arm_budget()")
    if not metrics.get("emitted"):
        return Outcome(ERROR, "fixture never called emit()")
    return outcome


def _rounded(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 2)
