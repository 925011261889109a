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
        [python, "-m", "tflint_bnn", *args, "--no-cache", str(path.resolve())],
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


def relative_name(root: Path, filename: str) -> str:
    """A finding's file relative to the linted tree (JSON output names files by absolute path)."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return filename


def marked_findings(found: list[dict], root: Path, sources: dict[str, str], rule: str) -> list[dict]:
    """Findings of `rule` on a line marked `# expect: RULE` (rows are 1-based) in the module marking it.

    `sources`: the tree's texts by path relative to `root` (tree_texts); a single file's tree holds that file.
    """
    marked = {(name, row) for name, text in sources.items()
              for row, line in enumerate(text.splitlines(), 1) if f"# expect: {rule}" in line}
    return [f for f in found if f.get("code") == rule
            and (relative_name(root, f.get("filename", "")), f.get("location", {}).get("row")) in marked]
