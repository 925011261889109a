"""Where the budget is enforced and the device allocator's peak is read, per device and backend.

Everything here runs inside a child process; frameworks are imported lazily, only by the class that
needs them. `python -m tflint_bnn.validate.devices gpu` prints which GPU backend this interpreter offers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Optional

from tflint_bnn.validate import budget as cpu_budget

GPU_BACKENDS = ("tensorflow", "jax", "torch")


class CpuBudget:
    """RLIMIT_DATA from arm() on; CPU allocations have no allocator peak worth reading (field guide 7)."""

    def __init__(self, budget_bytes: int):
        self.budget_bytes = budget_bytes

    def arm(self) -> None:
        if self.budget_bytes:
            cpu_budget.apply_data_budget(self.budget_bytes)

    def release(self) -> None:
        if self.budget_bytes:
            cpu_budget.lift_data_budget()

    def device_peak_bytes(self) -> Optional[int]:
        return None


class TensorFlowGpuBudget:
    """A logical GPU with memory_limit: must be configured before TensorFlow runs any op."""

    def __init__(self, budget_bytes: int):
        import tensorflow as tf

        self._tf = tf
        gpu = tf.config.list_physical_devices("GPU")[0]
        if budget_bytes:
            config = tf.config.LogicalDeviceConfiguration(memory_limit=budget_bytes // 2**20)
            tf.config.set_logical_device_configuration(gpu, [config])

    def arm(self) -> None:
        self._tf.config.experimental.reset_memory_stats("GPU:0")

    def release(self) -> None:
        pass

    def device_peak_bytes(self) -> Optional[int]:
        return int(self._tf.config.experimental.get_memory_info("GPU:0")["peak"])


class TorchGpuBudget:
    def __init__(self, budget_bytes: int):
        import torch

        self._cuda = torch.cuda
        if budget_bytes:
            total = torch.cuda.get_device_properties(0).total_memory
            torch.cuda.set_per_process_memory_fraction(min(1.0, budget_bytes / total), 0)

    def arm(self) -> None:
        self._cuda.reset_peak_memory_stats(0)

    def release(self) -> None:
        pass

    def device_peak_bytes(self) -> Optional[int]:
        return int(self._cuda.max_memory_allocated(0))


class JaxGpuBudget:
    """XLA's client allocator is capped by a fraction read at JAX import, so this must run before it.

    JAX cannot reset its peak counter: the peak reported covers the whole child, setup included.
    """

    def __init__(self, budget_bytes: int):
        os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
        if budget_bytes:
            fraction = min(1.0, budget_bytes / _nvidia_total_bytes())
            os.environ["XLA_PYTHON_CLIENT_MEM_FRACTION"] = f"{fraction:.4f}"

    def arm(self) -> None:
        pass

    def release(self) -> None:
        pass

    def device_peak_bytes(self) -> Optional[int]:
        import jax

        return int(jax.devices()[0].memory_stats()["peak_bytes_in_use"])


def _nvidia_total_bytes() -> int:
    out = subprocess.run(
        ["nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits", "-i", "0"],
        check=True, capture_output=True, text=True,
    ).stdout
    return int(out.strip()) * 2**20


_GPU_BUDGETS = {"tensorflow": TensorFlowGpuBudget, "jax": JaxGpuBudget, "torch": TorchGpuBudget}


def open_budget(device: str, backend: str, budget_bytes: int):
    if device == "cpu":
        return CpuBudget(budget_bytes)
    return _GPU_BUDGETS[backend](budget_bytes)


def probe_gpu_backend() -> tuple[Optional[str], str]:
    """(backend, reason): TensorFlow when it sees a GPU, else Keras 3 on JAX or PyTorch."""
    reasons = []
    try:
        import tensorflow as tf

        if tf.config.list_physical_devices("GPU"):
            return "tensorflow", "TensorFlow sees a GPU"
        reasons.append("TensorFlow sees no GPU")
    except ImportError:
        reasons.append("TensorFlow is not installed")
    try:
        import keras  # noqa: F401  (Keras 3 runs the fixtures on the other backends)
    except ImportError:
        return None, "; ".join(reasons + ["Keras 3 is not installed"])
    try:
        import jax

        if any(d.platform == "gpu" for d in jax.devices()):
            return "jax", "; ".join(reasons + ["Keras 3 on JAX"])
        reasons.append("JAX sees no GPU")
    except (ImportError, RuntimeError):
        reasons.append("JAX with GPU support is not installed")
    try:
        import torch

        if torch.cuda.is_available():
            return "torch", "; ".join(reasons + ["Keras 3 on PyTorch"])
        reasons.append("PyTorch sees no GPU")
    except ImportError:
        reasons.append("PyTorch is not installed")
    return None, "; ".join(reasons)


if __name__ == "__main__":
    if sys.argv[1:] != ["gpu"]:
        sys.exit("usage: python -m tflint_bnn.validate.devices gpu")
    backend, reason = probe_gpu_backend()
    print(json.dumps({"backend": backend, "reason": reason}))
