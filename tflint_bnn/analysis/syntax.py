"""Small helpers over LibCST nodes that several analyses need."""

from __future__ import annotations

from typing import Iterator, Optional, Set

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


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


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
            stack.extend(current.children)
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
