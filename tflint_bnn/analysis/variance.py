"""What changes from one loop iteration to the next, read from the text of one function: Python numbers (traced
by value by tf.function) and slice widths (new shapes, new traces)."""

from __future__ import annotations

import ast
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Set

from tflint_bnn.analysis import slices
from tflint_bnn.analysis.nodes import names_in

_NUMBER_BUILTINS = {"float", "int", "abs", "round"}


class LoopFrame:
    """One loop around the call: its node and the names its body (or header) binds."""

    def __init__(self, node: ast.AST, targets: FrozenSet[str], varying: FrozenSet[str]):
        self.node = node
        self.targets = targets
        self.varying = varying

    def contains(self, position) -> bool:
        node = self.node
        return (node.lineno, node.col_offset) < position <= (node.end_lineno, node.end_col_offset)


class Bindings:
    """Every binding of a name in the call's function: (kind, value node or None, position)."""

    def __init__(self, lookup: Callable[[str], Sequence[tuple]]):
        self._lookup = lookup

    def of(self, name: str) -> Sequence[tuple]:
        return self._lookup(name)


class PythonNumbers:
    """Is an expression a Python int/float, and does it change per iteration of the loops around the call?"""

    def __init__(self, loops: List[LoopFrame], counters: Set[str], bindings: Bindings):
        self._loops = loops
        self._counters = counters
        self._bindings = bindings
        self._active: Set[str] = set()

    def varies(self, expr: ast.AST) -> Optional[bool]:
        """True: a Python number that changes per iteration; False: one that does not; None: not known a number."""
        if isinstance(expr, ast.Constant) and type(expr.value) in (int, float):
            return False
        if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
            return self.varies(expr.operand)
        if isinstance(expr, ast.BinOp) and not isinstance(expr.op, ast.MatMult):
            left, right = self.varies(expr.left), self.varies(expr.right)
            return None if left is None or right is None else left or right
        if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id in _NUMBER_BUILTINS
                and len(expr.args) == 1 and not expr.keywords and not isinstance(expr.args[0], ast.Starred)):
            return self.varies(expr.args[0])
        if isinstance(expr, ast.Name):
            return self._name(expr.id)
        return None

    def _name(self, name: str) -> Optional[bool]:
        if name in self._active:
            return False  # a recurrence (`lr = lr * 0.9`) reads its own earlier value: the assignment decides
        bindings = self._bindings.of(name)
        if not bindings:
            return None
        self._active.add(name)
        try:
            results = [self._binding(name, kind, value, position) for kind, value, position in bindings]
        finally:
            self._active.discard(name)
        return None if None in results else any(results)

    def _binding(self, name: str, kind: str, value: Optional[ast.AST], position) -> Optional[bool]:
        if kind not in ("assign", "aug") or value is None:
            return True if name in self._counters else None  # a loop target: a counter, or unknown items
        number = self.varies(value)
        if number is None:
            return None
        recurrence = kind == "aug" or name in names_in(value)
        in_loop = any(loop.contains(position) for loop in self._loops)
        return in_loop and (number or recurrence)


class ShapeVariance:
    """Which loop-varying names change the shape of an argument from one iteration to the next."""

    def __init__(self, loops: List[LoopFrame], code_of: Callable[[ast.AST], str],
                 once: Dict[str, ast.AST]):
        self._loops = loops
        self._code = code_of
        self._varying = set().union(*(loop.varying for loop in loops)) if loops else set()
        self._values = once  # names the loops bind exactly once, by `name = value`

    def names(self, expr: ast.AST) -> FrozenSet[str]:
        """`x[:i]` -> {'i'}; `x[i:i + b]` and `x[i:min(i + b, n)]` (only the last batch differs) -> {};
        a loop target over a list (`for batch in [a, b, c]`) -> {'<items:NAME>'}, for the evaluator to judge."""
        if isinstance(expr, ast.Name) and expr.id in self._values:
            expr = self._values[expr.id]
        if isinstance(expr, ast.Name):
            for loop in self._loops:
                if isinstance(loop.node, ast.For) and isinstance(loop.node.target, ast.Name) \
                        and loop.node.target.id == expr.id:
                    return frozenset({f"<items:{expr.id}>"})
            return frozenset()
        if not isinstance(expr, ast.Subscript):
            return frozenset()
        pieces = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
        found: Set[str] = set()
        for piece in pieces:
            if isinstance(piece, ast.Slice):
                found |= self._width_names(expr.value, piece)
        return frozenset(found)

    def _width_names(self, base: ast.AST, piece: ast.Slice) -> Set[str]:
        end = ast.Call(ast.Name("len", ast.Load()), [base], [])
        lows = self._candidates(piece.lower, 0) if piece.lower is not None else [ast.Constant(0)]
        highs = self._candidates(piece.upper, 0) if piece.upper is not None else [end]
        found: Set[str] = set()
        for low in lows:
            for high in highs:
                atoms: Dict[str, ast.AST] = {}
                low_terms = slices.polynomial(low, self._safe_code, atoms)
                high_terms = slices.polynomial(high, self._safe_code, atoms)
                if low_terms is None or high_terms is None:
                    return set()  # a width it cannot expand: stay silent
                width = slices.combine(high_terms, low_terms, -1)
                varying = {name for term in width for atom in term
                           for name in names_in(atoms[atom]) & self._varying}
                if not varying:
                    return set()  # a constant width: every batch but the last has one shape
                found |= varying
        return found

    def _safe_code(self, node: ast.AST) -> str:
        return self._code(node) if hasattr(node, "lineno") else ast.unparse(node)

    def _candidates(self, bound: ast.AST, depth: int) -> List[ast.AST]:
        """`bound` and what it equals through names the loop binds once; each argument of `min(...)` (also
        `np.minimum`, `tf.minimum`, `tf.math.minimum`)."""
        found = [bound]
        if depth > 3:
            return found
        if isinstance(bound, ast.Name) and bound.id in self._values:
            found += self._candidates(self._values[bound.id], depth + 1)
        elif (isinstance(bound, ast.Call) and _is_minimum(bound.func)
              and not bound.keywords and all(not isinstance(a, ast.Starred) for a in bound.args)):
            found = [c for arg in bound.args for c in self._candidates(arg, depth + 1)]
        return found


def _is_minimum(func: ast.AST) -> bool:
    """`min`, or an element-wise minimum of two bounds: `np.minimum`, `tf.minimum`, `tf.math.minimum`."""
    if isinstance(func, ast.Name):
        return func.id == "min"
    return isinstance(func, ast.Attribute) and func.attr == "minimum"
