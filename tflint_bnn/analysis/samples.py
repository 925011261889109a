"""Where Monte Carlo samples go: how many are drawn, the list that keeps them, and what is read from that list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Optional, Set, Tuple

import libcst as cst

from tflint_bnn.analysis.context import Loop
from tflint_bnn.analysis.models import BATCHNORM, DROPOUT_LIKE, SEQUENTIAL
from tflint_bnn.analysis.names import first_tail, keras_tail, module_tail, tf_tail
from tflint_bnn.analysis.resolve import View
from tflint_bnn.analysis.syntax import argument, method_name, positional_argument, walk

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

# Reductions that running moments (Welford) can replace: mean, variance, standard deviation.
_MOMENTS_NUMPY = {"mean", "std", "var", "nanmean", "nanstd", "nanvar"}
_MOMENTS_TF = {"reduce_mean", "math.reduce_mean", "math.reduce_std", "math.reduce_variance"}
_MOMENTS_KERAS = {"ops.mean", "ops.std", "ops.var"}
_MOMENT_METHODS = {"mean", "std", "var"}  # ndarray methods, after stacking
# Last names of every reduction above: triage needs one of them called before parsing a module for TFB204.
MOMENT_FUNCTIONS = frozenset(name.rsplit(".", 1)[-1]
                             for name in (*_MOMENTS_NUMPY, *_MOMENTS_TF, *_MOMENTS_KERAS, *_MOMENT_METHODS))
# Calls that turn a list of samples into one array with the samples on axis 0.
_STACK_NUMPY = {"stack", "array", "asarray"}
_STACK_TF = {"stack", "convert_to_tensor"}
_STACK_KERAS = {"ops.stack", "ops.convert_to_tensor"}
_STACK_AXIS_ARGUMENT = {"stack", "ops.stack"}  # the others have no axis: the samples land on axis 0
# One sample, as kept: the tensor itself, its NumPy copy, or (distribution heads) one statistic or draw per row.
_DISTRIBUTION_STATISTICS = {"mean", "stddev", "variance", "mode", "sample"}
# Layers after which each row still has as many values as the last Dense layer produced.
_WIDTH_PRESERVING = DROPOUT_LIKE | BATCHNORM | {"Activation", "ReLU", "Softmax", "LeakyReLU", "ELU", "PReLU",
                                                "LayerNormalization"}


@dataclass(frozen=True)
class RetainedSamples:
    """A list that keeps every sample of a Monte Carlo loop, read only through moments over the samples."""

    label: str  # how to name the list in a message: "`preds`" or "the list"


def sample_count(analysis: "ModuleAnalysis", loop: Loop, view: View) -> Optional[int]:
    """T in `for _ in range(T)` (also trange(T), tqdm(range(T)) and comprehensions)."""
    iterable = loop.iterable
    while isinstance(iterable, cst.Call) and _last_name(iterable.func) == "tqdm":
        iterable = positional_argument(iterable, 0)
    if not isinstance(iterable, cst.Call):
        return None
    bounds = [arg.value for arg in iterable.args if arg.keyword is None]
    if len(bounds) == 1:
        return analysis.evaluator.integer(bounds[0], view)
    if len(bounds) == 2:
        low, high = (analysis.evaluator.integer(bound, view) for bound in bounds)
        return high - low if low is not None and high is not None else None
    return None


def retained_for_moments(analysis: "ModuleAnalysis", call: cst.Call, loop: Loop,
                         distribution: bool) -> Optional[RetainedSamples]:
    """The list that keeps every output of `call` across `loop`, when it is only reduced to moments afterwards.

    None when the outputs are not kept whole in a list, or the list is used any other way (returned, indexed,
    passed elsewhere, reduced along another axis): then keeping every sample may be the point.
    """
    sample = _sample_expression(analysis, call, distribution)
    if isinstance(loop.node, cst.ListComp) and sample is loop.body:
        uses = _Uses(analysis)
        if not uses.only_moments(loop.node) or uses.count == 0:
            return None
        name = _assigned_name(analysis, loop.node)
        return RetainedSamples(f"`{name}`" if name else "the list")
    if not isinstance(loop.node, cst.For):
        return None
    holder = _assigned_name(analysis, sample)
    appends = [node for node in walk(loop.body) if _appends_sample(analysis, node, sample, holder, distribution)]
    if len(appends) != 1 or not isinstance(appends[0].func.value, cst.Name):
        return None
    receiver = appends[0].func.value
    uses = _Uses(analysis, appended=receiver)
    if not uses.only_moments_of_name(receiver) or uses.count == 0:
        return None
    return RetainedSamples(f"`{receiver.value}`")


def output_width(analysis: "ModuleAnalysis", model_expr: cst.BaseExpression, view: View) -> Optional[int]:
    """Values per row of a Sequential literal's output: the last Dense layer's units, if nothing after it
    changes the width."""
    constructor = model_expr
    if isinstance(model_expr, cst.Name):
        constructor = analysis.evaluator.assigned_expression(model_expr, view)
    if (not isinstance(constructor, cst.Call)
            or first_tail(analysis.qualified_names(constructor.func), keras_tail) not in SEQUENTIAL
            or analysis.sequential_additions(constructor)):
        return None
    layers = argument(constructor, 0, "layers")
    if not isinstance(layers, (cst.List, cst.Tuple)):
        return None
    for element in reversed(layers.elements):
        layer = analysis.evaluator.layer(element.value, view)
        if layer is None:
            return None
        if layer.units is not None:
            return layer.units
        if layer.name not in _WIDTH_PRESERVING:
            return None
    return None


class _Uses:
    """Follows a list of samples (and arrays stacked from it) through names, counting moment reductions."""

    def __init__(self, analysis: "ModuleAnalysis", appended: Optional[cst.Name] = None):
        self._analysis = analysis
        self._appended = appended  # the receiver of the loop's `samples.append(...)`
        self._followed: Set[int] = set()  # ids of the sample expressions assigned to names
        self._names: Set[Tuple[int, str]] = set()
        self.count = 0

    def only_moments(self, expr: cst.BaseExpression) -> bool:
        """Is the value of `expr` only reduced to a mean / variance / std over axis 0?"""
        analysis = self._analysis
        parent = analysis.parent(expr)
        if isinstance(parent, cst.Arg) and parent.value is expr:
            owner = analysis.parent(parent)
            if not isinstance(owner, cst.Call) or positional_argument(owner, 0) is not expr:
                return False
            kind = self._library_kind(owner)
            if kind == "moment" and _is_axis_zero(analysis, argument(owner, 1, "axis")):
                self.count += 1
                return True
            return kind == "stack" and self.only_moments(owner)
        if isinstance(parent, cst.Attribute) and parent.value is expr:
            owner = analysis.parent(parent)
            if (isinstance(owner, cst.Call) and owner.func is parent and method_name(owner) in _MOMENT_METHODS
                    and _is_axis_zero(analysis, argument(owner, 0, "axis"))):
                self.count += 1
                return True
            return False
        if (isinstance(parent, cst.Assign) and parent.value is expr and len(parent.targets) == 1
                and isinstance(parent.targets[0].target, cst.Name)):
            self._followed.add(id(expr))
            return self.only_moments_of_name(parent.targets[0].target)
        return False

    def only_moments_of_name(self, name: cst.Name) -> bool:
        """Every read of the name, wherever it is bound in this scope (flow-insensitive)."""
        scope = self._analysis.scope_of(name)
        if scope is None:
            return False
        key = (id(scope), name.value)
        if key in self._names:
            return True  # already being followed: its reads are checked once
        self._names.add(key)
        reads = {}
        for assignment in scope.assignments[name.value]:
            if not self._binding_ok(assignment.node):
                return False
            for access in assignment.references:
                reads[id(access.node)] = access.node
        return all(self._is_the_append(read) or self.only_moments(read) for read in reads.values())

    def _binding_ok(self, node: cst.CSTNode) -> bool:
        """The name may only be bound to an empty list, the samples followed here, or itself stacked."""
        statement = self._analysis.parent(self._analysis.parent(node) or node)
        if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return False
        value = statement.value
        if (isinstance(value, cst.List) and not value.elements) or id(value) in self._followed:
            return True
        first = positional_argument(value, 0) if isinstance(value, cst.Call) else None
        return isinstance(first, cst.Name) and first.value == node.value and self._library_kind(value) == "stack"

    def _is_the_append(self, read: cst.CSTNode) -> bool:
        attribute = self._analysis.parent(read)
        return (read is self._appended and isinstance(attribute, cst.Attribute)
                and attribute.attr.value == "append")

    def _library_kind(self, call: cst.Call) -> Optional[str]:
        """"moment" for a mean/var/std reduction, "stack" for a stacking along axis 0, else None."""
        qualified = self._analysis.qualified_names(call.func)
        numpy, tf, keras = (first_tail(qualified, lambda q: module_tail(q, "numpy")),
                            first_tail(qualified, tf_tail), first_tail(qualified, keras_tail))
        if numpy in _MOMENTS_NUMPY or tf in _MOMENTS_TF or keras in _MOMENTS_KERAS:
            return "moment"
        stack = numpy if numpy in _STACK_NUMPY else tf if tf in _STACK_TF else keras if keras in _STACK_KERAS else None
        if stack is None or (stack in _STACK_AXIS_ARGUMENT and not _is_axis_zero(
                self._analysis, argument(call, 1, "axis"), absent_ok=True)):
            return None
        return "stack"


def _is_axis_zero(analysis: "ModuleAnalysis", axis: Optional[cst.BaseExpression], absent_ok: bool = False) -> bool:
    if axis is None:
        return absent_ok
    return analysis.evaluator.integer(axis) == 0


def _sample_expression(analysis: "ModuleAnalysis", call: cst.Call, distribution: bool) -> cst.BaseExpression:
    """The outermost expression around `call` that still holds one whole sample."""
    node: cst.BaseExpression = call
    while True:
        parent = analysis.parent(node)
        owner = analysis.parent(parent) if parent is not None else None
        if not isinstance(owner, cst.Call) or _unwrap_sample(analysis, owner, distribution) is not node:
            return node
        node = owner


def _unwrap_sample(analysis: "ModuleAnalysis", expr: cst.BaseExpression,
                   distribution: bool) -> Optional[cst.BaseExpression]:
    """The sample inside a call that keeps it whole: `s.numpy()`, `np.asarray(s)`, and for a distribution head
    one statistic or draw per row (`dist.mean()`, `dist.sample()`); None for anything else."""
    if not isinstance(expr, cst.Call):
        return None
    method = method_name(expr)
    if not expr.args and (method == "numpy" or (distribution and method in _DISTRIBUTION_STATISTICS)):
        return expr.func.value
    if len(expr.args) == 1 and first_tail(analysis.qualified_names(expr.func),
                                          lambda q: module_tail(q, "numpy")) in {"array", "asarray"}:
        return expr.args[0].value
    return None


def _assigned_name(analysis: "ModuleAnalysis", expr: cst.BaseExpression) -> Optional[str]:
    """`y` in `y = <expr>`."""
    parent = analysis.parent(expr)
    if (isinstance(parent, cst.Assign) and parent.value is expr and len(parent.targets) == 1
            and isinstance(parent.targets[0].target, cst.Name)):
        return parent.targets[0].target.value
    return None


def _appends_sample(analysis: "ModuleAnalysis", node: cst.CSTNode, sample: cst.BaseExpression,
                    holder: Optional[str], distribution: bool) -> bool:
    """`samples.append(<sample>)`, or `samples.append(y)` / `samples.append(y.numpy())` with `y = <sample>`."""
    if not (isinstance(node, cst.Call) and method_name(node) == "append" and len(node.args) == 1):
        return False
    appended = node.args[0].value
    if appended is sample:
        return True
    while _unwrap_sample(analysis, appended, distribution) is not None:
        appended = _unwrap_sample(analysis, appended, distribution)
    return holder is not None and isinstance(appended, cst.Name) and appended.value == holder


def _last_name(func: cst.BaseExpression) -> Optional[str]:
    return func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
