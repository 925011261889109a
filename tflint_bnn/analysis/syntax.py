"""Small helpers over LibCST nodes that several analyses need."""

from __future__ import annotations

from typing import Dict, Iterator, Optional, Sequence, Set

import libcst as cst


def keyword_argument(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def positional_argument(call: cst.Call, index: int) -> Optional[cst.BaseExpression]:
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    return positional[index].value if index < len(positional) else None


def argument(call: cst.Call, index: int, name: str) -> Optional[cst.BaseExpression]:
    return keyword_argument(call, name) or positional_argument(call, index)


def is_constant(expr: Optional[cst.BaseExpression], value: str) -> bool:
    """`is_constant(node, "True")`: the literal True/False/None."""
    return isinstance(expr, cst.Name) and expr.value == value


# Children of every node of the module under analysis. LibCST computes `node.children` by visiting the node on every
# access, and the analyses walk the same subtrees many times; ModuleAnalysis indexes them once per module.
_children_index: Dict[cst.CSTNode, Sequence[cst.CSTNode]] = {}


def index_children(index: Dict[cst.CSTNode, Sequence[cst.CSTNode]]) -> None:
    """Make `index` the children lookup (replacing the previous module's, which can then be freed)."""
    global _children_index
    _children_index = index


def children(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    found = _children_index.get(node)
    return found if found is not None else node.children


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def names_used(node: cst.CSTNode) -> Set[str]:
    """Variables read or written in `node`; `obj.attr` names `obj`, not `attr`."""
    found = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        else:
            stack.extend(children(current))
    return found


def identifiers_in(node: cst.CSTNode) -> Set[str]:
    """Every identifier in `node`, attribute names included: an over-approximation of what it may touch."""
    return {n.value for n in walk(node) if isinstance(n, cst.Name)}


def method_name(call: cst.Call) -> Optional[str]:
    return call.func.attr.value if isinstance(call.func, cst.Attribute) else None


def encloses(ancestor: cst.CSTNode, node: cst.CSTNode, parent) -> bool:
    """Is `node` inside `ancestor`? `parent` maps a node to its parent (ModuleAnalysis.parent)."""
    current = parent(node)
    while current is not None and current is not ancestor:
        current = parent(current)
    return current is ancestor
