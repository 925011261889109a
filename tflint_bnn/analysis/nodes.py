"""Walking CPython `ast` trees, faster than `ast.iter_child_nodes` / `ast.walk`.

The analysis visits every node of every file several times; the standard helpers re-read `_fields` per node and
yield each `Load`/`Store` context and operator object as a child. Here the fields that can hold a child node are
computed once per node class, and contexts and operators (shared singletons that no analysis asks about) are
never children. Order is the standard one (fields in order; `walk` breadth first).
"""

from __future__ import annotations

import ast
from collections import deque
from typing import Dict, Iterator, List, Sequence, Set, Tuple

# Fields that never hold a child node: names, numbers, flags, constants, contexts and operators.
_NOT_CHILDREN = frozenset({"ctx", "op", "ops", "id", "attr", "arg", "name", "asname", "module", "level", "simple",
                           "is_async", "conversion", "type_comment", "kind", "tag", "kwd_attrs", "rest"})
_NO_CHILDREN: Sequence[ast.AST] = ()
# Nodes without children that walks looking for calls, statements or scopes can leave unvisited.
LEAVES = frozenset({ast.Name, ast.Constant})
_FIELDS: Dict[type, Tuple[str, ...]] = {}


def _fields_of(cls: type) -> Tuple[str, ...]:
    if cls in (ast.Constant, ast.MatchSingleton) or issubclass(cls, (ast.Global, ast.Nonlocal)):
        fields: Tuple[str, ...] = ()  # a constant's value, the names of `global`: never nodes
    else:
        fields = tuple(name for name in cls._fields if name not in _NOT_CHILDREN)
    _FIELDS[cls] = fields
    return fields


def children(node: ast.AST) -> Sequence[ast.AST]:
    """The child nodes of `node`, as `ast.iter_child_nodes` gives them but without contexts and operators."""
    fields = _FIELDS.get(node.__class__)
    if fields is None:
        fields = _fields_of(node.__class__)
    if not fields:
        return _NO_CHILDREN
    found: List[ast.AST] = []
    for name in fields:
        value = getattr(node, name, None)
        if value.__class__ is list:
            found.extend([item for item in value if item is not None])  # Dict.keys holds None for `**rest`
        elif value is not None:
            found.append(value)
    return found


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """`node` and everything below it, breadth first, as `ast.walk` (without contexts and operators)."""
    todo = deque([node])
    while todo:
        current = todo.popleft()
        todo.extend(children(current))
        yield current


def names_in(node: ast.AST) -> Set[str]:
    """The plain names read or written anywhere in `node`."""
    return {n.id for n in walk(node) if n.__class__ is ast.Name}
