"""Classifies a child run as ok / oom / error from its exit status and stderr.

`oom` is reserved for an allocation failure the framework itself reported; anything else that
failed (a crash, a signal, a timeout, another exception) is an `error`, never a guessed OOM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

OK, OOM, ERROR = "ok", "oom", "error"

# Last segment of the exception's qualified name. TF: tf.errors.ResourceExhaustedError;
# PyTorch: torch.OutOfMemoryError (alias torch.cuda.OutOfMemoryError); Python: MemoryError.
_OOM_EXCEPTIONS = frozenset({"ResourceExhaustedError", "OutOfMemoryError", "MemoryError"})
# JAX reports device OOM as a runtime error whose message starts with the XLA status code.
_XLA_RUNTIME_ERRORS = frozenset({"XlaRuntimeError", "JaxRuntimeError"})
_XLA_OOM_PREFIX = "RESOURCE_EXHAUSTED"

_EXCEPTION_LINE = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)(?::\s?(?P<message>.*))?$")


@dataclass(frozen=True)
class Outcome:
    status: str
    detail: Optional[str]


def final_exception(stderr: str) -> Optional[tuple[str, str]]:
    """(qualified name, first message line) of the exception that ended the process, if Python printed one."""
    lines = stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback (most recent call last):")]
    if not starts:
        return None
    # Frames and caret markers are indented; the first unindented line after them names the exception.
    for line in lines[starts[-1] + 1:]:
        if line and not line[0].isspace():
            match = _EXCEPTION_LINE.match(line)
            if match:
                return match["name"], match["message"] or ""
            return None
    return None


def is_oom_exception(name: str, message: str) -> bool:
    short_name = name.rsplit(".", 1)[-1]
    if short_name in _OOM_EXCEPTIONS:
        return True
    return short_name in _XLA_RUNTIME_ERRORS and message.startswith(_XLA_OOM_PREFIX)


def classify(returncode: Optional[int], stderr: str) -> Outcome:
    """returncode None means the harness killed the child at its timeout."""
    if returncode is None:
        return Outcome(ERROR, "timed out")
    if returncode == 0:
        return Outcome(OK, None)
    if returncode < 0:
        return Outcome(ERROR, f"killed by signal {-returncode}")
    exception = final_exception(stderr)
    if exception is None:
        return Outcome(ERROR, f"exit status {returncode} without a Python traceback")
    name, message = exception
    status = OOM if is_oom_exception(name, message) else ERROR
    return Outcome(status, f"{name}: {message}"[:300])
