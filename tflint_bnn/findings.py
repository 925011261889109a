"""What a check reports: findings, and fixes made of text edits (the shape of ruff's JSON output)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional, Tuple

Position = Tuple[int, int]  # (row 1-based, column 0-based in characters)


class Applicability(str, Enum):
    SAFE = "safe"  # keeps the program's meaning: applied by --fix
    UNSAFE = "unsafe"  # may change results (the fix message says how): only with --unsafe-fixes


@dataclass(frozen=True)
class Edit:
    start: Position
    end: Position
    content: str


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: Tuple[Edit, ...]


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    start: Position
    end: Position
    fix: Optional[Fix] = None
    # The forward pass this finding is about; a rule that supersedes another drops its finding at the same anchor.
    anchor: Optional[Tuple[Position, Position]] = None

    def fixable(self, unsafe_fixes: bool) -> bool:
        return self.fix is not None and (unsafe_fixes or self.fix.applicability is Applicability.SAFE)
