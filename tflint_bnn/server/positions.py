"""Positions between the linter's (row 1-based, column in code points) and LSP's (line 0-based, column in units).

LSP counts columns in the negotiated position encoding, UTF-16 code units unless the client offers another. A
character outside the Basic Multilingual Plane (an emoji) is one code point but two UTF-16 units, so a column
after it differs. This module needs no pygls: it is plain string arithmetic, tested on its own.
"""

from __future__ import annotations

from typing import Callable, Dict, Tuple

from tflint_bnn.findings import Position
from tflint_bnn.fixes.edits import line_offsets

LspPosition = Tuple[int, int]  # (line 0-based, character in the encoding's units)

_UNITS: Dict[str, Callable[[str], int]] = {
    "utf-8": lambda text: len(text.encode("utf-8", "surrogatepass")),
    "utf-16": lambda text: len(text.encode("utf-16-le", "surrogatepass")) // 2,
    "utf-32": len,
}
DEFAULT_ENCODING = "utf-16"  # what LSP requires every server to support


class PositionMap:
    """Converts positions in one text. Lines break at \\n, \\r\\n and \\r: both the linter's rows and LSP's lines."""

    def __init__(self, text: str, encoding: str = DEFAULT_ENCODING):
        self.text = text
        self.offsets = line_offsets(text)
        self.units = _UNITS.get(encoding, _UNITS[DEFAULT_ENCODING])

    def to_lsp(self, position: Position) -> LspPosition:
        row, column = position
        if row > len(self.offsets):  # past the last line: the end of the text, as apply_fixes reads it
            return self.end()
        start = self.offsets[row - 1]
        return row - 1, self.units(self.text[start:start + column])

    def end(self) -> LspPosition:
        last = len(self.offsets) - 1
        return last, self.units(self.text[self.offsets[last]:])
