"""Rule documentation: docs/rules/CODE.md in a checkout, tflint_bnn/rule_docs/CODE.md in an installed wheel."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

_PACKAGE = Path(__file__).resolve().parent
_LOCATIONS = (_PACKAGE / "rule_docs", _PACKAGE.parent / "docs" / "rules")


def rule_doc(code: str) -> Optional[str]:
    for directory in _LOCATIONS:
        path = directory / f"{code}.md"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None
