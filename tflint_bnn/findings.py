"""What a check reports: findings, and fixes made of text edits (the shape of ruff's JSON output)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Callable, Optional, Tuple, Union

if TYPE_CHECKING:
    from tflint_bnn.fixes.view import CstView

Position = Tuple[int, int]  # (row 1-based, column 0-based in characters)


class Applicability(str, Enum):
    SAFE = "safe"  # keeps the program's meaning: applied by --fix
    UNSAFE = "unsafe"  # may change results (the fix message says how): only with --unsafe-fixes


@dataclass(frozen=True)
class Edit:
    start: Position
    end: Position
    content: str
    cell: Optional[int] = None  # in a notebook: the 1-based cell the rows count in (set only for output)

    def to_json(self) -> dict:
        data = {"start": list(self.start), "end": list(self.end), "content": self.content}
        if self.cell is not None:
            data["cell"] = self.cell
        return data

    @staticmethod
    def from_json(data: Any) -> "Edit":
        return Edit(_position(data["start"]), _position(data["end"]), _string(data["content"]),
                    _cell(data.get("cell")))


@dataclass(frozen=True)
class Fix:
    applicability: Applicability
    message: str
    edits: Tuple[Edit, ...]

    def to_json(self) -> dict:
        return {"applicability": self.applicability.value, "message": self.message,
                "edits": [edit.to_json() for edit in self.edits]}

    @staticmethod
    def from_json(data: Any) -> "Fix":
        return Fix(Applicability(data["applicability"]), _string(data["message"]),
                   tuple(Edit.from_json(edit) for edit in _list(data["edits"])))


@dataclass(frozen=True)
class FixPlan:
    """A fix before its edits exist: `build` writes them with LibCST, only when the fix is applied or shown.
    None from `build` means the concrete code does not allow the rewrite after all: no fix."""

    applicability: Applicability
    message: str
    build: Callable[["CstView"], Optional[Tuple[Edit, ...]]]


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    start: Position
    end: Position
    fix: Optional[Union[Fix, FixPlan]] = None
    # The forward pass this finding is about; a rule that supersedes another drops its finding at the same anchor.
    anchor: Optional[Tuple[Position, Position]] = None
    # In a notebook: the 1-based cell (counting every cell) that `start` and `end` count their rows in.
    cell: Optional[int] = None

    def fixable(self, unsafe_fixes: bool) -> bool:
        return self.fix is not None and (unsafe_fixes or self.fix.applicability is Applicability.SAFE)

    def to_json(self) -> dict:
        """Plain JSON values (for the result cache); `from_json` gives back an equal Finding."""
        return {"code": self.code, "message": self.message, "start": list(self.start), "end": list(self.end),
                "fix": self.fix.to_json() if self.fix else None,
                "anchor": [list(self.anchor[0]), list(self.anchor[1])] if self.anchor else None,
                "cell": self.cell}

    @staticmethod
    def from_json(data: Any) -> "Finding":
        """The inverse of `to_json`; raises KeyError, TypeError or ValueError on anything of another shape."""
        anchor = data["anchor"]
        return Finding(_string(data["code"]), _string(data["message"]), _position(data["start"]),
                       _position(data["end"]), Fix.from_json(data["fix"]) if data["fix"] is not None else None,
                       (_position(anchor[0]), _position(anchor[1])) if anchor is not None else None,
                       _cell(data.get("cell")))


def _position(value: Any) -> Position:
    row, column = _list(value)
    if not (type(row) is int and type(column) is int):
        raise TypeError(f"not a position: {value!r}")
    return row, column


def _cell(value: Any) -> Optional[int]:
    if value is not None and not (type(value) is int and value >= 1):
        raise TypeError(f"not a cell number: {value!r}")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError(f"not a list: {value!r}")
    return value
