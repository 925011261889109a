"""Reporting findings: text (ruff's concise shape, colour on a terminal), JSON (ruff's field names), statistics."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import IO, List, Sequence

from tflint_bnn.engine import codes_for
from tflint_bnn.findings import Applicability, Finding
from tflint_bnn.rules import RULES_BY_CODE


@dataclass(frozen=True)
class Located:
    """A finding with the file it was found in (display path and absolute path)."""

    display: str
    filename: str
    finding: Finding


def use_colour(stream: IO[str]) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def write_text(items: Sequence[Located], stream: IO[str], unsafe_fixes: bool, colour: bool) -> None:
    for item in items:
        finding = item.finding
        row, column = finding.start
        marker = "[*] " if finding.fixable(unsafe_fixes) else ""
        location = _paint(item.display, "1", colour) + f":{row}:{column + 1}:"
        stream.write(f"{location} {_paint(finding.code, '1;31', colour)} {marker}{finding.message}\n")


def write_summary(items: Sequence[Located], stream: IO[str], unsafe_fixes: bool, fixed: int) -> None:
    remaining = len(items)
    safe = sum(1 for i in items if i.finding.fixable(False))
    hidden = sum(1 for i in items if i.finding.fix and i.finding.fix.applicability is Applicability.UNSAFE)
    parts = []
    if remaining:
        parts.append(f"Found {remaining} error{'s' if remaining != 1 else ''}" +
                     (f" ({fixed} fixed, {remaining} remaining)." if fixed else "."))
    elif fixed:
        parts.append(f"Found {fixed} error{'s' if fixed != 1 else ''} ({fixed} fixed, 0 remaining).")
    if safe:
        parts.append(f"[*] {safe} fixable with the `--fix` option.")
    if hidden and not unsafe_fixes:
        parts.append(f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` "
                     "option.")
    elif hidden and unsafe_fixes:
        parts.append(f"[*] {hidden} more fixable with `--fix --unsafe-fixes`.")
    if parts:
        stream.write("\n".join(parts) + "\n")


def write_json(items: Sequence[Located], stream: IO[str]) -> None:
    json.dump([_json_finding(item) for item in items], stream, indent=2)
    stream.write("\n")


def _json_finding(item: Located) -> dict:
    finding = item.finding
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "message": finding.fix.message,
            "edits": [{"content": e.content, "location": _location(e.start), "end_location": _location(e.end)}
                      for e in finding.fix.edits],
        }
    return {
        "code": finding.code,
        "message": finding.message,
        "filename": item.filename,
        "location": _location(finding.start),
        "end_location": _location(finding.end),
        "fix": fix,
        "url": RULES_BY_CODE[finding.code].url(),
        "noqa_row": finding.start[0],
    }


def _location(position) -> dict:
    row, column = position
    return {"row": row, "column": column + 1}


def write_statistics(findings: Sequence[Finding], stream: IO[str], unsafe_fixes: bool) -> None:
    for code, count in codes_for(findings):
        fixable = any(f.code == code and f.fixable(unsafe_fixes) for f in findings)
        stream.write(f"{count:>5}\t{code}\t{'[*] ' if fixable else ''}{RULES_BY_CODE[code].name}\n")


def write_fixed(fixed: List[Located], stream: IO[str]) -> None:
    """--show-fixes: what was changed, per file and code."""
    if not fixed:
        stream.write("No errors fixed.\n")
        return
    stream.write(f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:\n")
    by_file: dict = {}
    for item in fixed:
        by_file.setdefault(item.display, []).append(item.finding)
    for display, findings in by_file.items():
        stream.write(f"- {display}:\n")
        for code, count in codes_for(findings):
            stream.write(f"    {count} \u00d7 {code} ({RULES_BY_CODE[code].name})\n")
