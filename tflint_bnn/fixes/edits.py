"""Turn nodes into text edits, and apply non-overlapping fixes to a source string."""

from __future__ import annotations

import re
from typing import Iterable, List, Sequence, Tuple

import libcst as cst

from tflint_bnn.findings import Edit, Fix, Position

_NEWLINE = re.compile(r"\r\n|\r|\n")


def replace_node(analysis, node: cst.CSTNode, content: str) -> Edit:
    return Edit(analysis.start(node), analysis.end(node), content)


def split_lines(source: str) -> List[str]:
    """The lines as a finding's rows count them (\\n, \\r\\n and \\r, like Python's tokenizer), without their ends."""
    return _NEWLINE.split(source)


def line_offsets(source: str) -> List[int]:
    """Offset of the first character of each line (index 0 is line 1), for any newline style."""
    return [0] + [match.end() for match in _NEWLINE.finditer(source)]


def apply_fixes(source: str, fixes: Sequence[Fix]) -> Tuple[str, List[Fix]]:
    """Apply every fix whose edits do not overlap an earlier accepted fix; identical edits count once.

    Returns the new source and the fixes applied; skipped fixes get another chance in the next round.
    """
    offsets = line_offsets(source)

    def offset(position: Position) -> int:
        row, column = position
        return offsets[row - 1] + column if row - 1 < len(offsets) else len(source)

    accepted: List[Tuple[int, int, Edit]] = []
    applied: List[Fix] = []
    for fix in sorted(fixes, key=lambda f: min((e.start for e in f.edits), default=(0, 0))):
        spans = [(offset(e.start), offset(e.end), e) for e in fix.edits]
        if any(_conflicts(span, other) for span in spans for other in accepted):
            continue
        accepted.extend(span for span in spans if not any(span[2] == other[2] for other in accepted))
        applied.append(fix)
    result = source
    for start, end, edit in sorted(accepted, key=lambda span: (span[0], span[1]), reverse=True):
        result = result[:start] + edit.content + result[end:]
    return result, applied


def _conflicts(span, other) -> bool:
    start, end, edit = span
    other_start, other_end, other_edit = other
    if edit == other_edit:
        return False
    if start == end == other_start == other_end:
        return True  # two different insertions at one point: order would be arbitrary
    return start < other_end and other_start < end


def adapt_newlines(text: str, newline: str) -> str:
    return text.replace("\n", newline) if newline != "\n" else text


def join_arguments(parts: Iterable[str]) -> str:
    return ", ".join(part for part in parts if part)
