"""CstView: one source parsed with LibCST, for writing fixes that keep the user's formatting and comments.

The analysis reads CPython's `ast`; a file is parsed with LibCST only when one of its findings has a fix being
applied or shown. Findings point at spans (row, character column), and `node_at` finds the concrete node there.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple, Type

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

Position = Tuple[int, int]
Span = Tuple[Position, Position]


class CstView:
    def __init__(self, text: str):
        self.module = cst.parse_module(text)
        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        self._positions = wrapper.resolve(PositionProvider)
        self._parents: Dict[cst.CSTNode, cst.CSTNode] = {}
        self._by_span: Dict[Span, List[cst.CSTNode]] = {}
        stack: List[cst.CSTNode] = [self.module]
        while stack:
            node = stack.pop()
            for child in node.children:
                self._parents[child] = node
                stack.append(child)
            position = self._positions.get(node)
            if position is not None:
                span = ((position.start.line, position.start.column), (position.end.line, position.end.column))
                self._by_span.setdefault(span, []).append(node)

    def node_at(self, span: Span, *kinds: Type[cst.CSTNode]) -> Optional[cst.CSTNode]:
        """The node of one of `kinds` (any kind if none given) that spans exactly `span`."""
        for node in self._by_span.get(span, ()):
            if not kinds or isinstance(node, kinds):
                return node
        return None

    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return self._parents.get(node)

    def start(self, node: cst.CSTNode) -> Position:
        position = self._positions[node]
        return position.start.line, position.start.column

    def end(self, node: cst.CSTNode) -> Position:
        position = self._positions[node]
        return position.end.line, position.end.column

    def line(self, node: cst.CSTNode) -> int:
        return self.start(node)[0]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def statement_of(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        """The simple statement line (or compound statement) holding `node`."""
        current: Optional[cst.CSTNode] = node
        while current is not None and not isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            current = self.parent(current)
        return current
