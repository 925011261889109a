"""Where a call runs: inside which loops, a Monte Carlo loop, tf.function, GradientTape, or a Keras step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, FrozenSet, List, Optional

import libcst as cst

from tflint_bnn.analysis.names import tf_tail
from tflint_bnn.analysis.syntax import method_name, names_used, positional_argument, walk

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_FUNCTION_BOUNDARY = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
# Calls that change a model between iterations: a loop containing them is training, not sampling.
TRAINING_METHODS = {"fit", "fit_generator", "train_on_batch", "apply_gradients", "minimize", "set_weights",
                    "load_weights", "compile", "gradient"}
# Ways a loop keeps each iteration's result.
ACCUMULATING_METHODS = {"append", "extend", "write", "insert", "put", "add"}
KERAS_STEP_METHODS = {"train_step", "test_step", "predict_step", "call"}
RANGE_FUNCTIONS = {"range", "trange", "tnrange"}


@dataclass(frozen=True)
class Loop:
    node: cst.CSTNode  # For, While or a comprehension
    targets: FrozenSet[str]
    iterable: Optional[cst.BaseExpression]
    body: cst.CSTNode  # what repeats: the For/While body or the comprehension's element


class Context:
    def __init__(self, analysis: "ModuleAnalysis"):
        self._analysis = analysis

    def loops(self, node: cst.CSTNode) -> List[Loop]:
        """Enclosing loops, innermost first, up to the enclosing function."""
        found: List[Loop] = []
        child, parent = node, self._analysis.parent(node)
        while parent is not None and not isinstance(parent, _FUNCTION_BOUNDARY):
            loop = _loop_around(parent, child)
            if loop is not None:
                found.append(loop)
            child, parent = parent, self._analysis.parent(parent)
        return found

    def counters_around(self, node: cst.CSTNode) -> set:
        """Names that hold an int in the loops around `node`: `i` in `for i in range(n)` and `enumerate(...)`."""
        counters = set()
        for loop in self.loops(node):
            target = loop.node.target if isinstance(loop.node, cst.For) else None
            if target is None and isinstance(loop.node, _COMPREHENSIONS):
                target = loop.node.for_in.target
            if target is None:
                continue
            if _is_range(loop.iterable) and isinstance(target, cst.Name):
                counters.add(target.value)
            elif (isinstance(loop.iterable, cst.Call) and isinstance(loop.iterable.func, cst.Name)
                  and loop.iterable.func.value == "enumerate" and isinstance(target, cst.Tuple)
                  and isinstance(target.elements[0].value, cst.Name)):
                counters.add(target.elements[0].value.value)
        return counters

    def innermost_loop(self, node: cst.CSTNode) -> Optional[Loop]:
        loops = self.loops(node)
        return loops[0] if loops else None

    def monte_carlo_loop(self, call: cst.Call) -> Optional[Loop]:
        """The loop that repeats `call` unchanged and keeps each result: T Monte Carlo passes.

        Repeating: `for _ in range(T)` (or a comprehension over range), the call's arguments do not depend on the
        loop variable or on anything the loop assigns, and nothing in the loop trains the model.
        """
        loop = self.innermost_loop(call)
        if loop is None or not _is_range(loop.iterable):
            return None
        varying = set(loop.targets) | _assigned_names(loop.body)
        if names_used(call.func) & varying - {"self"} or any(names_used(arg.value) & varying for arg in call.args):
            return None
        if any(isinstance(n, cst.Call) and method_name(n) in TRAINING_METHODS for n in walk(loop.body)):
            return None
        return loop if self._is_accumulated(call, loop) else None

    def enclosing_functions(self, node: cst.CSTNode) -> List[cst.FunctionDef]:
        found = []
        parent = self._analysis.parent(node)
        while parent is not None:
            if isinstance(parent, cst.FunctionDef):
                found.append(parent)
            parent = self._analysis.parent(parent)
        return found

    def in_tf_function(self, node: cst.CSTNode) -> bool:
        return any(self._analysis.tf_functions.traces(fn) for fn in self.enclosing_functions(node))

    def in_keras_step(self, node: cst.CSTNode) -> bool:
        for function in self.enclosing_functions(node):
            if function.name.value in KERAS_STEP_METHODS and self._is_method(function):
                return True
        return False

    def in_gradient_tape(self, node: cst.CSTNode) -> bool:
        child, parent = node, self._analysis.parent(node)
        while parent is not None and not isinstance(parent, _FUNCTION_BOUNDARY):
            if isinstance(parent, cst.With) and child is parent.body and any(
                isinstance(item.item, cst.Call) and self._tf_name(item.item.func) == "GradientTape"
                for item in parent.items
            ):
                return True
            child, parent = parent, self._analysis.parent(parent)
        return False

    # -- helpers ---------------------------------------------------------------------------------
    def _is_accumulated(self, call: cst.Call, loop: Loop) -> bool:
        child, parent = call, self._analysis.parent(call)
        while parent is not None and parent is not loop.node:
            if child is loop.body:
                return True  # a comprehension collects its element
            if isinstance(parent, cst.Arg):
                owner = self._analysis.parent(parent)
                if isinstance(owner, cst.Call) and method_name(owner) in ACCUMULATING_METHODS:
                    return True
            if isinstance(parent, (cst.AugAssign, cst.Yield)):
                return True
            if isinstance(parent, cst.Assign):
                if any(isinstance(t.target, cst.Subscript) for t in parent.targets):
                    return True
                kept = set().union(*(names_used(t.target) for t in parent.targets))
                return _accumulates_any(loop.body, kept)
            if isinstance(parent, cst.BaseStatement):
                return False
            child, parent = parent, self._analysis.parent(parent)
        return child is loop.body

    def _tf_name(self, expr: cst.BaseExpression) -> Optional[str]:
        for name in self._analysis.qualified_names(expr):
            tail = tf_tail(name)
            if tail is not None:
                return tail
        return None

    def _is_method(self, function: cst.FunctionDef) -> bool:
        block = self._analysis.parent(function)
        return isinstance(self._analysis.parent(block), cst.ClassDef) if block is not None else False


def _loop_around(parent: cst.CSTNode, child: cst.CSTNode) -> Optional[Loop]:
    if isinstance(parent, cst.For) and child is parent.body:
        return Loop(parent, frozenset(names_used(parent.target)), parent.iter, parent.body)
    if isinstance(parent, cst.While) and child is parent.body:
        return Loop(parent, frozenset(), None, parent.body)
    if isinstance(parent, _COMPREHENSIONS):
        body = parent.elt if not isinstance(parent, cst.DictComp) else None
        if child is body or (isinstance(parent, cst.DictComp) and child in (parent.key, parent.value)):
            targets, comp = set(), parent.for_in
            while comp is not None:
                targets |= names_used(comp.target)
                comp = comp.inner_for_in
            return Loop(parent, frozenset(targets), parent.for_in.iter, child)
    return None


def _is_range(iterable: Optional[cst.BaseExpression]) -> bool:
    """Python's range(...), tqdm's trange(...), or tqdm(range(...)); not tf.range, whose items are tensors."""
    if not isinstance(iterable, cst.Call):
        return False
    func = iterable.func
    if isinstance(func, cst.Name):
        name = func.value
    elif isinstance(func, cst.Attribute) and func.attr.value != "range":
        name = func.attr.value
    else:
        return False
    if name in RANGE_FUNCTIONS:
        return True
    return name == "tqdm" and _is_range(positional_argument(iterable, 0))


def _assigned_names(body: cst.CSTNode) -> set:
    assigned = set()
    for node in walk(body):
        if isinstance(node, cst.AssignTarget):
            assigned |= names_used(node.target)
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            assigned |= names_used(node.target)
        elif isinstance(node, (cst.For, cst.CompFor)):
            assigned |= names_used(node.target)
    return assigned


def _accumulates_any(body: cst.CSTNode, names: set) -> bool:
    """Does the loop body keep one of `names` (append it, add it up, store it by index)?"""
    for node in walk(body):
        if isinstance(node, cst.Call) and method_name(node) in ACCUMULATING_METHODS:
            if any(names_used(arg.value) & names for arg in node.args):
                return True
        elif isinstance(node, cst.AugAssign) and names_used(node.value) & names:
            return True
        elif isinstance(node, cst.Assign) and any(isinstance(t.target, cst.Subscript) for t in node.targets):
            if names_used(node.value) & names:
                return True
    return False
