"""Where Monte Carlo samples go: the list that keeps every output of a loop, and whether it is only reduced to
moments (mean, variance, standard deviation) over the samples afterwards."""

from __future__ import annotations

import ast
from typing import Callable, Dict, List, Optional, Set

from tflint_bnn.analysis.names import keras_tail, module_tail, tf_tail
from tflint_bnn.analysis.summary import Retention
from tflint_bnn.analysis.vocabulary import (DISTRIBUTION_STATISTICS, MOMENT_METHODS, MOMENTS_KERAS, MOMENTS_NUMPY,
                                            MOMENTS_TF, STACK_AXIS_ARGUMENT, STACK_KERAS, STACK_NUMPY, STACK_TF)
from tflint_bnn.analysis.nodes import children, walk

_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
Qualified = Callable[[ast.AST], Optional[str]]  # the dotted library name a callee reaches, or None


class Scope:
    """One function body (or the module), with the parent of every node: built once, only for candidates."""

    def __init__(self, body: List[ast.stmt]):
        self.parents: Dict[ast.AST, ast.AST] = {}
        self.names: List[ast.Name] = []
        stack: List[ast.AST] = list(body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.Name):
                self.names.append(node)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            for child in children(node):
                self.parents[child] = node
                stack.append(child)


def retention(scope: Scope, call: ast.Call, loop: ast.AST, qualified: Qualified,
              distribution: bool) -> Optional[Retention]:
    """The list that keeps every output of `call` across `loop`, when it is only reduced to moments afterwards.

    None when the outputs are not kept whole in a list, or the list is used any other way (returned, indexed,
    passed elsewhere, reduced along another axis): then keeping every sample may be the point.
    """
    sample = _sample_expression(scope, call, qualified, distribution)
    if isinstance(loop, ast.ListComp) and sample is loop.elt:
        uses = _Uses(scope, qualified)
        if not uses.only_moments(loop) or uses.count == 0:
            return None
        name = _assigned_name(scope, loop)
        return Retention(f"`{name}`" if name else "the list")
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return None
    holder = _assigned_name(scope, sample)
    appends = [node for statement in loop.body for node in walk(statement)
               if _appends_sample(node, sample, holder, qualified, distribution)]
    if len(appends) != 1 or not isinstance(appends[0].func.value, ast.Name):
        return None
    receiver = appends[0].func.value
    uses = _Uses(scope, qualified, appended=receiver)
    if not uses.only_moments_of_name(receiver.id) or uses.count == 0:
        return None
    return Retention(f"`{receiver.id}`")


class _Uses:
    """Follows a list of samples (and arrays stacked from it) through names, counting moment reductions."""

    def __init__(self, scope: Scope, qualified: Qualified, appended: Optional[ast.Name] = None):
        self._scope = scope
        self._qualified = qualified
        self._appended = appended  # the receiver of the loop's `samples.append(...)`
        self._followed: Set[int] = set()  # ids of the sample expressions assigned to names
        self._names: Set[str] = set()
        self.count = 0

    def only_moments(self, expr: ast.AST) -> bool:
        """Is the value of `expr` only reduced to a mean / variance / std over axis 0?"""
        parent = self._scope.parents.get(expr)
        if isinstance(parent, ast.Call) and expr in parent.args:
            if parent.args[0] is not expr:
                return False
            kind = self._library_kind(parent)
            if kind == "moment" and _is_axis_zero(_argument(parent, 1, "axis")):
                self.count += 1
                return True
            return kind == "stack" and self.only_moments(parent)
        if isinstance(parent, ast.Attribute) and parent.value is expr:
            owner = self._scope.parents.get(parent)
            if (isinstance(owner, ast.Call) and owner.func is parent and parent.attr in MOMENT_METHODS
                    and _is_axis_zero(_argument(owner, 0, "axis"))):
                self.count += 1
                return True
            return False
        if (isinstance(parent, ast.Assign) and parent.value is expr and len(parent.targets) == 1
                and isinstance(parent.targets[0], ast.Name)):
            self._followed.add(id(expr))
            return self.only_moments_of_name(parent.targets[0].id)
        return False

    def only_moments_of_name(self, name: str) -> bool:
        """Every read of the name in this scope (flow-insensitive)."""
        if name in self._names:
            return True  # already being followed: its reads are checked once
        self._names.add(name)
        reads = []
        for node in self._scope.names:
            if node.id != name:
                continue
            if isinstance(node.ctx, ast.Store):
                if not self._binding_ok(node):
                    return False
            else:
                reads.append(node)
        return all(self._is_the_append(read) or self.only_moments(read) for read in reads)

    def _binding_ok(self, node: ast.Name) -> bool:
        """The name may only be bound to an empty list, the samples followed here, or itself stacked."""
        statement = self._scope.parents.get(node)
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            return False
        value = statement.value
        if (isinstance(value, ast.List) and not value.elts) or id(value) in self._followed:
            return True
        first = value.args[0] if isinstance(value, ast.Call) and value.args else None
        return isinstance(first, ast.Name) and first.id == node.id and self._library_kind(value) == "stack"

    def _is_the_append(self, read: ast.Name) -> bool:
        attribute = self._scope.parents.get(read)
        return (self._appended is not None and read.id == self._appended.id
                and isinstance(attribute, ast.Attribute) and attribute.attr == "append")

    def _library_kind(self, call: ast.Call) -> Optional[str]:
        """"moment" for a mean/var/std reduction, "stack" for a stacking along axis 0, else None."""
        name = self._qualified(call.func) or ""
        numpy, tf, keras = module_tail(name, "numpy"), tf_tail(name), keras_tail(name)
        if numpy in MOMENTS_NUMPY or tf in MOMENTS_TF or keras in MOMENTS_KERAS:
            return "moment"
        stack = numpy if numpy in STACK_NUMPY else tf if tf in STACK_TF else keras if keras in STACK_KERAS else None
        if stack is None or (stack in STACK_AXIS_ARGUMENT and not _is_axis_zero(_argument(call, 1, "axis"),
                                                                               absent_ok=True)):
            return None
        return "stack"


def _argument(call: ast.Call, index: int, name: str) -> Optional[ast.AST]:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[index] if index < len(call.args) else None


def _is_axis_zero(axis: Optional[ast.AST], absent_ok: bool = False) -> bool:
    if axis is None:
        return absent_ok
    return isinstance(axis, ast.Constant) and axis.value == 0 and type(axis.value) is int


def _sample_expression(scope: Scope, call: ast.Call, qualified: Qualified, distribution: bool) -> ast.AST:
    """The outermost expression around `call` that still holds one whole sample."""
    node: ast.AST = call
    while True:
        parent = scope.parents.get(node)
        owner = scope.parents.get(parent) if isinstance(parent, ast.Attribute) else parent
        if not isinstance(owner, ast.Call) or _unwrap_sample(owner, qualified, distribution) is not node:
            return node
        node = owner


def _unwrap_sample(expr: ast.AST, qualified: Qualified, distribution: bool) -> Optional[ast.AST]:
    """The sample inside a call that keeps it whole: `s.numpy()`, `np.asarray(s)`, and for a distribution head
    one statistic or draw per row (`dist.mean()`, `dist.sample()`); None for anything else."""
    if not isinstance(expr, ast.Call):
        return None
    if isinstance(expr.func, ast.Attribute) and not expr.args and not expr.keywords and (
            expr.func.attr == "numpy" or (distribution and expr.func.attr in DISTRIBUTION_STATISTICS)):
        return expr.func.value
    if len(expr.args) == 1 and module_tail(qualified(expr.func) or "", "numpy") in {"array", "asarray"}:
        return expr.args[0]
    return None


def _assigned_name(scope: Scope, expr: ast.AST) -> Optional[str]:
    """`y` in `y = <expr>`."""
    parent = scope.parents.get(expr)
    if (isinstance(parent, ast.Assign) and parent.value is expr and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)):
        return parent.targets[0].id
    return None


def _appends_sample(node: ast.AST, sample: ast.AST, holder: Optional[str], qualified: Qualified,
                    distribution: bool) -> bool:
    """`samples.append(<sample>)`, or `samples.append(y)` / `samples.append(y.numpy())` with `y = <sample>`."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "append"
            and len(node.args) == 1):
        return False
    appended = node.args[0]
    if appended is sample:
        return True
    while _unwrap_sample(appended, qualified, distribution) is not None:
        appended = _unwrap_sample(appended, qualified, distribution)
    return holder is not None and isinstance(appended, ast.Name) and appended.id == holder

