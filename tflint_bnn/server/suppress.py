"""The "Disable for this line" quick fix: `# noqa: TFB101` on the finding's first line, as ruff's server offers it.

An edit is offered only when it is known to work: the new text still parses, and the linter's own reading of
suppression comments sees the code suppressed on that line. That rules out the rare line that ends inside a
triple-quoted string (a comment added there would be text in the string) or with a backslash continuation.
This module needs no pygls: it is plain string work, tested on its own.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator, Optional

from tflint_bnn.findings import Edit
from tflint_bnn.fixes.edits import line_offsets
from tflint_bnn.noqa import parse_suppressions

# A `# noqa: CODES` comment with a list to add to (the codes as tflint_bnn.noqa reads them).
_NOQA_LIST = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)", re.IGNORECASE)
_SEPARATOR = re.compile(r"[\s,]+")


def noqa_edit(text: str, row: int, code: str) -> Optional[Edit]:
    """The edit that suppresses `code` on line `row` (1-based); None when no edit of that line is sure to."""
    offsets = line_offsets(text)
    start = offsets[row - 1]
    line = text[start:offsets[row] if row < len(offsets) else len(text)].rstrip("\r\n")
    for edit in _candidates(line, row, code):
        if _suppresses(_applied(text, start, edit), row, code):
            return edit
    return None


def _candidates(line: str, row: int, code: str) -> Iterator[Edit]:
    """First the code added to the line's `# noqa: ...` list, if it has one; else (or if that one turns out to be
    in a string) a new comment at the end of the line, in place of any trailing whitespace."""
    existing = list(_NOQA_LIST.finditer(line))
    if existing:
        codes = existing[-1]  # a comment runs to the end of the line: the last one is the likeliest
        separator = _SEPARATOR.search(codes.group("codes"))  # keep the list's style: "A,B", "A, B" or "A B"
        end = codes.end("codes")
        yield Edit((row, end), (row, end), (separator.group() if separator else ", ") + code)
    content = len(line.rstrip())
    yield Edit((row, content), (row, len(line)), f"  # noqa: {code}")


def _applied(text: str, line_start: int, edit: Edit) -> str:
    """One edit within one line: its columns are code points from the line's start."""
    return text[:line_start + edit.start[1]] + edit.content + text[line_start + edit.end[1]:]


def _suppresses(text: str, row: int, code: str) -> bool:
    try:
        ast.parse(text)  # CPython's parser: a fraction of the time LibCST's takes
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return parse_suppressions(text).suppresses(row, code)
