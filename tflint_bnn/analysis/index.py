"""ModuleIndex: the one `ast.parse` of a source, with character positions and the source text of its nodes.

Every position a finding or a fix carries is (row 1-based, column 0-based in characters), as LibCST and editors
count them; CPython's `ast` counts columns in UTF-8 bytes, so the conversion happens here, once.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from typing import List, Optional, Tuple

Position = Tuple[int, int]
_NEWLINE = re.compile(r"\r\n|\r|\n")


class ParseError(Exception):
    """The source is not valid Python: one line, without the path."""


def split_lines(source: str) -> List[str]:
    """The lines as rows count them (\\n, \\r\\n and \\r, like Python's tokenizer), without their ends."""
    return _NEWLINE.split(source)


def line_offsets(source: str) -> List[int]:
    """Offset of the first character of each line (index 0 is line 1), for any newline style."""
    return [0] + [match.end() for match in _NEWLINE.finditer(source)]


# CPython's parser allows nesting up to about 3 x the recursion limit, less what the caller's stack already uses:
# `python file.py` starts near the bottom, this linter some 40 frames up. The headroom restores what the file gets
# when run, so any file CPython runs is analysed here too.
_PARSE_HEADROOM = 1000


def parse(text: str) -> ast.Module:
    """`ast.parse`, with every failure turned into a one-line ParseError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes is the user's business, not ours
            try:
                return ast.parse(text)
            except RecursionError:
                limit = sys.getrecursionlimit()
                sys.setrecursionlimit(limit + _PARSE_HEADROOM)
                try:
                    return ast.parse(text)
                finally:
                    sys.setrecursionlimit(limit)
    except SyntaxError as error:
        raise ParseError(f"syntax error at line {error.lineno}, column {error.offset or 0}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError(f"cannot parse: {error}") from None


class ModuleIndex:
    """One parsed module: its tree, its lines, and positions in characters."""

    def __init__(self, text: str, tree: Optional[ast.Module] = None):
        self.text = text
        self.tree = tree if tree is not None else parse(text)
        self.lines = split_lines(text)
        self.ascii = text.isascii()  # most files: every byte offset is a character offset

    def column(self, row: int, byte_column: int) -> int:
        line = self.lines[row - 1] if 0 < row <= len(self.lines) else ""
        if line.isascii():
            return byte_column
        return len(line.encode("utf-8")[:byte_column].decode("utf-8", "ignore"))

    def start(self, node: ast.AST) -> Position:
        if self.ascii:
            return node.lineno, node.col_offset
        return node.lineno, self.column(node.lineno, node.col_offset)

    def end(self, node: ast.AST) -> Position:
        if self.ascii:
            return node.end_lineno, node.end_col_offset
        return node.end_lineno, self.column(node.end_lineno, node.end_col_offset)

    def code(self, node: ast.AST) -> str:
        """The node's source text, as written."""
        (row, column), (end_row, end_column) = self.start(node), self.end(node)
        if row == end_row:
            return self.lines[row - 1][column:end_column]
        parts = [self.lines[row - 1][column:], *self.lines[row:end_row - 1], self.lines[end_row - 1][:end_column]]
        return "\n".join(parts)
