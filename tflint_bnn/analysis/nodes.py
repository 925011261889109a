"""Walking CPython `ast` trees, faster than `ast.iter_child_nodes` / `ast.walk`.

The analysis visits every node of every file several times; the standard helpers re-read `_fields` per node and
yield each `Load`/`Store` context object as a child. Here the fields worth reading are computed once per node
class, and contexts are never children. Order is the standard one (fields in order; `walk` breadth first).
"""

from __future__ import annotations

import ast
from collections import deque
from typing import Dict, Iterator, List, Set, Tuple

_FIELDS: Dict[type, Tuple[str, ...]] = {}


def children(node: ast.AST) -> List[ast.AST]:
    """The child nodes of `node`, as `ast.iter_child_nodes` gives them but without expression contexts."""
    fields = _FIELDS.get(node.__class__)
    if fields is None:
        fields = _FIELDS[node.__class__] = tuple(name for name in node._fields if name != "ctx")
    found: List[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if value.__class__ is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            found.append(value)
    return found


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """`node` and everything below it, breadth first, as `ast.walk` (without expression contexts)."""
    todo = deque([node])
    while todo:
        current = todo.popleft()
        todo.extend(children(current))
        yield current


def names_in(node: ast.AST) -> Set[str]:
    """The plain names read or written anywhere in `node`."""
    return {n.id for n in walk(node) if n.__class__ is ast.Name}
