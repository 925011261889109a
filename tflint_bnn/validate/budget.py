"""CPU memory budget: RLIMIT_DATA = the process's current data size + the budget.

Set after imports and setup, so the budget covers only the work that follows (field guide, section 7):
TensorFlow then raises a real ResourceExhaustedError when an allocation would pass the limit.
"""

from __future__ import annotations

import resource
from pathlib import Path

_KIB = 1024


def status_field_bytes(status_text: str, field: str) -> int:
    """A `kB` field of /proc/<pid>/status (VmData, VmRSS, VmHWM) in bytes."""
    for line in status_text.splitlines():
        name, _, value = line.partition(":")
        if name == field:
            number, unit = value.split()
            if unit != "kB":
                raise ValueError(f"unexpected unit {unit!r} for {field}")
            return int(number) * _KIB
    raise KeyError(f"{field} not in /proc status")


def own_status_bytes(field: str) -> int:
    return status_field_bytes(Path("/proc/self/status").read_text(), field)


def data_limit(vmdata_bytes: int, budget_bytes: int) -> int:
    if budget_bytes <= 0:
        raise ValueError("budget must be positive")
    return vmdata_bytes + budget_bytes


def apply_data_budget(budget_bytes: int) -> int:
    """Caps this process's data segment at VmData + budget; returns the limit set.

    Only the soft limit is lowered, so the harness can lift it again once the fixture's work is done
    (writing outputs and metrics must not count against the budget).
    """
    limit = data_limit(own_status_bytes("VmData"), budget_bytes)
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    return limit


def lift_data_budget() -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    resource.setrlimit(resource.RLIMIT_DATA, (hard, hard))


def reset_peak_rss() -> bool:
    """Resets VmHWM to the current RSS (Linux clear_refs "5"), so VmHWM later is the peak since now."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_bytes() -> int:
    """ru_maxrss of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * _KIB
