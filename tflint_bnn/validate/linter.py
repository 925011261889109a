"""Runs tflint-bnn itself, as a user would, on a fixture copy: findings, then --fix --unsafe-fixes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tflint_bnn.validate.runner import package_environment


class LinterError(RuntimeError):
    pass


def _run_linter(python: str, args: list[str], path: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [python, "-m", "tflint_bnn", *args, "--no-cache", str(path)],
        capture_output=True, text=True, cwd=path.parent, env=package_environment(), timeout=300,
    )
    if proc.returncode not in (0, 1):  # 1 only means findings
        raise LinterError(f"tflint-bnn {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()[-500:]}")
    return proc


def findings(python: str, path: Path) -> list[dict]:
    return json.loads(_run_linter(python, ["--output-format", "json"], path).stdout or "[]")


def apply_fixes(python: str, path: Path) -> None:
    """Rewrites path in place with every fix, unsafe ones included."""
    _run_linter(python, ["--fix", "--unsafe-fixes"], path)


def marked_findings(found: list[dict], source: str, rule: str) -> list[dict]:
    """Findings of `rule` on the line the fixture marks `# expect: RULE` (rows are 1-based)."""
    marked_rows = {row for row, line in enumerate(source.splitlines(), 1) if f"# expect: {rule}" in line}
    return [f for f in found if f.get("code") == rule and f.get("location", {}).get("row") in marked_rows]
