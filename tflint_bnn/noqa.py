"""Suppression comments: `# noqa`, `# noqa: TFB101,TFB201`, and a file-level `# tflint-bnn: noqa`."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterator, Optional, Tuple

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE_EXEMPT = re.compile(r"#\s*tflint-bnn\s*:\s*noqa\b", re.IGNORECASE)
# Cheap test before tokenizing: most files have no suppression comment at all.
_ANY_NOQA = re.compile(r"noqa", re.IGNORECASE)


@dataclass(frozen=True)
class Suppressions:
    file_exempt: bool = False
    # row -> codes suppressed there; None suppresses every code (a blanket `# noqa`)
    lines: Dict[int, Optional[FrozenSet[str]]] = field(default_factory=dict)

    def suppresses(self, row: int, code: str) -> bool:
        if row not in self.lines:
            return False
        codes = self.lines[row]
        return codes is None or code in codes


def parse_suppressions(source: str) -> Suppressions:
    if not _ANY_NOQA.search(source):
        return Suppressions()
    exempt = False
    lines: Dict[int, Optional[FrozenSet[str]]] = {}
    for row, comment in _comments(source):
        if _FILE_EXEMPT.search(comment):
            exempt = True
            continue
        match = _NOQA.search(comment)
        if match is None:
            continue
        codes = match.group("codes")
        lines[row] = frozenset(re.split(r"[\s,]+", codes.upper().strip())) if codes else None
    return Suppressions(exempt, lines)


def is_file_exempt(source: str) -> bool:
    """`# tflint-bnn: noqa` in a comment: the file is not checked (the text search spares tokenizing the rest)."""
    return _FILE_EXEMPT.search(source) is not None and parse_suppressions(source).file_exempt


def _comments(source: str) -> Iterator[Tuple[int, str]]:
    """Comments as the tokenizer sees them, so `"# noqa"` inside a string does not count."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                yield token.start[0], token.string
    except (tokenize.TokenError, SyntaxError):
        return
