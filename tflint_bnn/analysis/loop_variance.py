"""What changes from one loop iteration to the next: rebound names, Python numbers, slice widths, array lengths."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst
from libcst.metadata import Assignment, QualifiedName, QualifiedNameSource

from tflint_bnn.analysis.context import Loop
from tflint_bnn.analysis.names import first_tail, tf_tail
from tflint_bnn.analysis.rows import difference, polynomial
from tflint_bnn.analysis.syntax import children, names_used, positional_argument
from tflint_bnn.analysis.values import Rows, Seq

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

_NUMBER_BUILTINS = {"builtins.float", "builtins.int", "builtins.abs", "builtins.round"}
_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)  # their bodies bind names of their own
_MUTATED_TARGETS = (cst.Attribute, cst.Subscript)


def inside(analysis: "ModuleAnalysis", node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
    current: Optional[cst.CSTNode] = node
    while current is not None:
        if current is ancestor:
            return True
        current = analysis.parent(current)
    return False


Binding = Tuple[str, Optional[cst.BaseExpression]]


def bindings(body: cst.CSTNode, skip: Optional[cst.CSTNode] = None) -> Iterator[Binding]:
    """(name, value) for every name `body` binds outside `skip`; value only for a plain `name = value`."""
    stack = [body]
    while stack:
        node = stack.pop()
        if node is skip:
            continue
        if isinstance(node, cst.Assign):
            plain = len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name)
            for target in node.targets:
                for name in bound_names(target.target):
                    yield name, node.value if plain else None
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.For, cst.NamedExpr)):
            for name in bound_names(node.target):
                yield name, node.value if isinstance(node, cst.AnnAssign) else None
        elif isinstance(node, cst.AsName):
            yield from ((name, None) for name in bound_names(node.name))
        elif isinstance(node, cst.ImportAlias) and node.asname is None:
            yield root_name(node.name), None
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            yield node.name.value, None
        if not isinstance(node, _SCOPES):
            stack.extend(children(node))
        elif not isinstance(node, cst.Lambda):
            stack.extend(node.decorators)


def bound_names(target: cst.BaseExpression) -> Set[str]:
    """Names an assignment target rebinds: `a`, `a, (b, *c)`; not `x[i]` or `self.w` (they mutate)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        return set().union(*(bound_names(element.value) for element in target.elements))
    if isinstance(target, cst.StarredElement):
        return bound_names(target.value)
    return set()


def root_name(expr: cst.BaseExpression) -> str:
    """`a` for `a`, `a.b.c`, `a[i].b`: the name an import binds or a mutation reaches."""
    while isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)):
        expr = expr.func if isinstance(expr, cst.Call) else expr.value
    return expr.value if isinstance(expr, cst.Name) else ""


def mutated_roots(analysis: "ModuleAnalysis", body: cst.CSTNode, skip: Optional[cst.CSTNode] = None) -> Set[str]:
    """Names whose objects `body` may change in place: `x[i] = ...`, `self.w = ...`, `buf.append(...)`.

    Calls on imported modules (`tf.reduce_sum(...)`) change nothing the module's own names hold.
    """
    roots = set()
    stack = [body]
    while stack:
        node = stack.pop()
        if node is skip:
            continue
        if isinstance(node, (cst.AssignTarget, cst.AugAssign)) and isinstance(node.target, _MUTATED_TARGETS):
            roots.add(root_name(node.target))
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and not any(
                q.source is QualifiedNameSource.IMPORT for q in _qualified(analysis, node.func)):
            roots.add(root_name(node.func.value))
        stack.extend(children(node))
    return roots - {""}


def _qualified(analysis: "ModuleAnalysis", node: cst.CSTNode) -> Set[QualifiedName]:
    scope = analysis.scope_of(node)
    return scope.get_qualified_names_for(node) if scope is not None else set()


def varying_names(loops: Sequence[Loop]) -> Set[str]:
    """Names that may hold a different value in each iteration: loop targets and names the bodies rebind."""
    return set().union(*(set(loop.targets) | {name for name, _ in bindings(loop.body)} for loop in loops))


def python_counters(analysis: "ModuleAnalysis", node: cst.CSTNode) -> Set[str]:
    """Loop counters around `node` that hold Python ints (`range`, `enumerate`); `tf.range` yields tensors."""
    counters = analysis.context.counters_around(node)
    for loop in analysis.context.loops(node):
        if isinstance(loop.iterable, cst.Call) and first_tail(analysis.qualified_names(loop.iterable.func), tf_tail):
            counters -= loop.targets
    return counters


def range_length(analysis: "ModuleAnalysis", loop: Loop) -> Optional[int]:
    """Iterations of `for _ in range(a, b, c)` when every bound is a known int."""
    iterable = loop.iterable
    if not (isinstance(iterable, cst.Call) and "builtins.range" in analysis.qualified_names(iterable.func)):
        return None
    bounds = [analysis.evaluator.integer(arg.value) for arg in iterable.args]
    if not bounds or None in bounds or any(arg.keyword or arg.star for arg in iterable.args):
        return None
    return len(range(*bounds)) if bounds[2:] != [0] else None


class PythonNumbers:
    """Is an expression a Python int/float, and does it change per iteration of the loops around `site`?"""

    def __init__(self, analysis: "ModuleAnalysis", site: cst.CSTNode):
        self._analysis = analysis
        self._loops = analysis.context.loops(site)
        self._counters = python_counters(analysis, site)
        self._active: Set[str] = set()

    def varies(self, expr: cst.BaseExpression) -> Optional[bool]:
        """True: a Python number that changes per iteration; False: one that does not; None: not known a number."""
        if isinstance(expr, (cst.Integer, cst.Float)):
            return False
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, (cst.Minus, cst.Plus)):
            return self.varies(expr.expression)
        if isinstance(expr, cst.BinaryOperation) and not isinstance(expr.operator, cst.MatrixMultiply):
            left, right = self.varies(expr.left), self.varies(expr.right)
            return None if left is None or right is None else left or right
        if (isinstance(expr, cst.Call) and len(expr.args) == 1 and positional_argument(expr, 0) is not None
                and self._analysis.qualified_names(expr.func) & _NUMBER_BUILTINS):
            return self.varies(expr.args[0].value)
        if isinstance(expr, cst.Name):
            return self._name(expr)
        return None

    def _name(self, name: cst.Name) -> Optional[bool]:
        if name.value in self._active:
            return False  # a recurrence (`lr = lr * 0.9`) reads its own earlier value: the assignment decides
        scope = self._analysis.scope_of(name)
        try:
            accesses = scope.accesses[name] if scope is not None else ()
        except KeyError:
            return None
        # Every assignment in the defining scope: one later in the loop body reaches the next iteration's call.
        scopes = {ref.scope for access in accesses for ref in access.referents if isinstance(ref, Assignment)}
        targets = {id(ref.node): ref.node for defining in scopes for ref in defining.assignments[name.value]
                   if isinstance(ref, Assignment)}
        if not targets:
            return None
        self._active.add(name.value)
        try:
            results = [self._assignment(name.value, target) for target in targets.values()]
        finally:
            self._active.discard(name.value)
        return None if None in results else any(results)

    def _assignment(self, name: str, target: cst.CSTNode) -> Optional[bool]:
        parent = self._analysis.parent(target)
        if isinstance(parent, cst.AssignTarget):
            value = self._analysis.parent(parent).value
        elif isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and parent.value is not None:
            value = parent.value
        else:
            return True if name in self._counters else None  # a loop target: a counter, or unknown items
        number = self.varies(value)
        if number is None:
            return None
        recurrence = isinstance(parent, cst.AugAssign) or name in names_used(value)
        in_loop = any(inside(self._analysis, target, loop.body) for loop in self._loops)
        return in_loop and (number or recurrence)


class ShapeVariance:
    """Which loop-varying names change the shape of an argument from one iteration to the next."""

    def __init__(self, analysis: "ModuleAnalysis", site: cst.CSTNode):
        self._analysis = analysis
        self._loops = analysis.context.loops(site)
        self._varying = varying_names(self._loops)
        counts: Dict[str, int] = {}
        self._values: Dict[str, cst.BaseExpression] = {}  # names the loop binds once, by `name = value`
        for loop in self._loops:
            for name, value in bindings(loop.body):
                counts[name] = counts.get(name, 0) + 1
                if value is not None:
                    self._values[name] = value
        self._values = {name: value for name, value in self._values.items() if counts[name] == 1}

    def names(self, expr: cst.BaseExpression) -> Set[str]:
        """`x[:i]` -> {'i'}; `x[i:i + b]` and `x[i:min(i + b, n)]` (only the last batch differs) -> set()."""
        if isinstance(expr, cst.Name) and expr.value in self._values:
            expr = self._values[expr.value]
        if isinstance(expr, cst.Name):
            return self._iterated_lengths(expr)
        if not isinstance(expr, cst.Subscript):
            return set()
        found: Set[str] = set()
        for element in expr.slice:
            if isinstance(element.slice, cst.Slice):
                found |= self._width_names(expr.value, element.slice)
        return found

    def _width_names(self, base: cst.BaseExpression, piece: cst.Slice) -> Set[str]:
        end = cst.Call(cst.Name("len"), [cst.Arg(base)])
        lows = self._candidates(piece.lower, 0) if piece.lower is not None else [cst.Integer("0")]
        highs = self._candidates(piece.upper, 0) if piece.upper is not None else [end]
        found: Set[str] = set()
        for low in lows:
            for high in highs:
                atoms: Dict[str, cst.BaseExpression] = {}
                low_terms = polynomial(low, self._analysis.code, atoms)
                high_terms = polynomial(high, self._analysis.code, atoms)
                if low_terms is None or high_terms is None:
                    return set()  # a width it cannot expand: stay silent
                width = difference(high_terms, low_terms)
                varying = {name for term in width for atom in term for name in names_used(atoms[atom]) & self._varying}
                if not varying:
                    return set()  # a constant width: every batch but the last has one shape
                found |= varying
        return found

    def _candidates(self, bound: cst.BaseExpression, depth: int) -> List[cst.BaseExpression]:
        """`bound` and what it equals through names the loop binds once; each argument of `min(...)`."""
        found = [bound]
        if depth > 3:
            return found
        if isinstance(bound, cst.Name) and bound.value in self._values:
            found += self._candidates(self._values[bound.value], depth + 1)
        elif (isinstance(bound, cst.Call) and "builtins.min" in self._analysis.qualified_names(bound.func)
              and all(arg.keyword is None and not arg.star for arg in bound.args)):
            found = [c for arg in bound.args for c in self._candidates(arg.value, depth + 1)]
        return found

    def _iterated_lengths(self, name: cst.Name) -> Set[str]:
        """`for batch in [a, b, c]` over arrays of different known lengths."""
        loop = next((loop for loop in self._loops if isinstance(loop.node, cst.For)
                     and isinstance(loop.node.target, cst.Name) and loop.node.target.value == name.value), None)
        items = self._analysis.evaluator.value(loop.iterable) if loop is not None else None
        if not isinstance(items, Seq):
            return set()
        lengths = {item.count for item in items.items if isinstance(item, Rows) and item.count is not None}
        return {name.value} if len(lengths) > 1 else set()
