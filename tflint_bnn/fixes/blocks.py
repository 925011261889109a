"""Rewrites of statement blocks: put one statement under a new `with` header."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from tflint_bnn.findings import Edit
from tflint_bnn.fixes.edits import adapt_newlines

if TYPE_CHECKING:
    from tflint_bnn.analysis import ModuleAnalysis


def wrap_in_with(analysis: "ModuleAnalysis", line: cst.SimpleStatementLine, header: str) -> Edit:
    """Insert `with <header>:` before `line` and indent the line one level under it.

    Only the line's first row moves right: continuation rows sit inside brackets or after a backslash, where
    indentation has no meaning, so one insertion at the statement's start is the whole edit.
    """
    module = analysis.module
    indent = _indentation(analysis, line)
    text = f"with {header}:\n{indent}{module.default_indent}"
    start = analysis.start(line)
    return Edit(start, start, adapt_newlines(text, module.default_newline))


def insert_before(analysis: "ModuleAnalysis", line: cst.BaseStatement, statement: str) -> Edit:
    """Insert `statement` on its own row just before `line`, at the same indentation."""
    module = analysis.module
    start = analysis.start(line)
    text = f"{statement}\n{_indentation(analysis, line)}"
    return Edit(start, start, adapt_newlines(text, module.default_newline))


def _indentation(analysis: "ModuleAnalysis", node: cst.CSTNode) -> str:
    """The whitespace before `node`'s first row: every enclosing block's indent, outermost first."""
    parts = []
    parent = analysis.parent(node)
    while parent is not None:
        if isinstance(parent, cst.IndentedBlock):
            parts.insert(0, parent.indent if parent.indent is not None else analysis.module.default_indent)
        parent = analysis.parent(parent)
    return "".join(parts)
