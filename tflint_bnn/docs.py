"""Rule documentation: each rule's page (--explain) and the table of every rule (`tflint-bnn rules`).

The pages live in docs/rules/CODE.md in a checkout and in tflint_bnn/rule_docs/CODE.md in an installed wheel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, List, Optional

from tflint_bnn.rules import ALL_RULES

_PACKAGE = Path(__file__).resolve().parent
_LOCATIONS = (_PACKAGE / "rule_docs", _PACKAGE.parent / "docs" / "rules")
_COLUMNS = ("code", "name", "fix", "default", "summary")


def rule_doc(code: str) -> Optional[str]:
    for directory in _LOCATIONS:
        path = directory / f"{code}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def rule_table() -> List[dict]:
    """One entry per rule: `fix` is the safety of the fixes it can offer ("safe", "unsafe", "safe or unsafe",
    or "none")."""
    return [{
        "code": rule.code,
        "name": rule.name,
        "fix": " or ".join(safety.value for safety in rule.fix_safety) or "none",
        "default": "on" if rule.default_enabled else "off",
        "summary": rule.summary,
        "url": rule.url(),
    } for rule in ALL_RULES]


def write_rule_table(stream: IO[str], output_format: str) -> None:
    rows = rule_table()
    if output_format == "json":
        json.dump(rows, stream, indent=2)
        stream.write("\n")
        return
    widths = [max(len(column), *(len(row[column]) for row in rows)) for column in _COLUMNS[:-1]]
    for cells in [_COLUMNS, *([row[column] for column in _COLUMNS] for row in rows)]:
        padded = [cell.ljust(width) for cell, width in zip(cells, widths)]
        stream.write("  ".join(padded + [cells[-1]]) + "\n")
