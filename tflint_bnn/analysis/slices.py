"""Slice widths read from the text: `x[i:i + b]` keeps b rows whatever i is, `x[i * b:(i + 1) * b]` too."""

from __future__ import annotations

import ast
from typing import Callable, Dict, Optional, Tuple

Polynomial = Dict[Tuple[str, ...], int]


def polynomial(expr: ast.AST, code_of: Callable[[ast.AST], str],
               atoms: Dict[str, ast.AST]) -> Optional[Polynomial]:
    """Expand +, -, * of integers and opaque atoms, so that `(i + 1) * b - i * b` simplifies to `b`.

    `atoms` receives each opaque sub-expression under its source code, so callers can evaluate what remains.
    """
    if isinstance(expr, ast.Constant) and type(expr.value) is int:
        return {(): expr.value}
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        inner = polynomial(expr.operand, code_of, atoms)
        return None if inner is None else {term: -coeff for term, coeff in inner.items()}
    if isinstance(expr, ast.BinOp):
        left, right = polynomial(expr.left, code_of, atoms), polynomial(expr.right, code_of, atoms)
        if left is None or right is None:
            return None
        if isinstance(expr.op, ast.Add):
            return combine(left, right, 1)
        if isinstance(expr.op, ast.Sub):
            return combine(left, right, -1)
        if isinstance(expr.op, ast.Mult):
            product: Polynomial = {}
            for term_a, coeff_a in left.items():
                for term_b, coeff_b in right.items():
                    term = tuple(sorted(term_a + term_b))
                    product[term] = product.get(term, 0) + coeff_a * coeff_b
            return {term: coeff for term, coeff in product.items() if coeff}
        return None
    if isinstance(expr, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
        code = code_of(expr)
        atoms[code] = expr
        return {(code,): 1}
    return None


def combine(left: Polynomial, right: Polynomial, sign: int) -> Polynomial:
    result = dict(left)
    for term, coeff in right.items():
        result[term] = result.get(term, 0) + sign * coeff
    return {term: coeff for term, coeff in result.items() if coeff}


def width(lower: ast.AST, upper: ast.AST, code_of: Callable[[ast.AST], str]):
    """The slice's width when it does not depend on where it starts: an int, the one atom it equals (`b`),
    or None."""
    atoms: Dict[str, ast.AST] = {}
    low, high = polynomial(lower, code_of, atoms), polynomial(upper, code_of, atoms)
    if low is None or high is None:
        return None
    difference = combine(high, low, -1)
    if not difference:
        return 0
    if list(difference) == [()]:
        return difference[()]
    if len(difference) == 1:
        (term, coeff), = difference.items()
        if len(term) == 1 and coeff == 1:
            return atoms[term[0]]
    return None
