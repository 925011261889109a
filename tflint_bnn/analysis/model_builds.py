"""Models built again and again: which calls build a model, what repeats them, what keeps or clears them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, FrozenSet, Optional

import libcst as cst

from tflint_bnn.analysis.context import ACCUMULATING_METHODS, Loop
from tflint_bnn.analysis.names import keras_tail, last_part
from tflint_bnn.analysis.resolve import DIRECT
from tflint_bnn.analysis.syntax import argument, encloses, method_name, names_used, positional_argument, walk
from tflint_bnn.analysis.values import Rows, Seq

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

# Ways to keep a model on purpose: collections and their methods.
KEEPING_METHODS = ACCUMULATING_METHODS | {"appendleft", "setdefault", "update"}
_CONTAINER_BUILTINS = {"dict", "list", "tuple", "set"}
_MAX_DEPTH = 3  # local functions followed when looking for a build or a clear_session()


def build_origin(analysis: "ModuleAnalysis", call: cst.Call, depth: int = 0) -> Optional[str]:
    """The Keras name that makes the new model `call` returns: `keras.Sequential`, `tf_keras.models.load_model`,
    the Keras base of a local Model subclass, or what a local build function calls. None: `call` builds no model
    (a local function that returns a model made elsewhere, a cached global, builds nothing)."""
    model = analysis.evaluator.model(call)
    if model is None or model.kind != "keras":
        return None
    keras_names = sorted(q for q in analysis.qualified_names(call.func) if keras_tail(q) is not None)
    if keras_names:
        return keras_names[0]
    definition = analysis.definition_of(call.func) if isinstance(call.func, cst.Name) else None
    if isinstance(definition, cst.ClassDef):
        base = analysis.keras_base_of(definition)
        return base[1] if base is not None else None
    if not isinstance(definition, cst.FunctionDef) or depth >= _MAX_DEPTH:
        return None
    for returned in analysis.returned_expressions(definition):
        if isinstance(returned, cst.Name):
            assigned = analysis.evaluator.assigned_expression(returned, DIRECT)
            returned = assigned if assigned is not None and encloses(definition, assigned, analysis.parent) else None
        origin = build_origin(analysis, returned, depth + 1) if isinstance(returned, cst.Call) else None
        if origin is not None:
            return origin
    return None


def clears_session(analysis: "ModuleAnalysis", node: cst.CSTNode, depth: int = 0) -> bool:
    """Does `node` call clear_session(): Keras' own (`keras.backend` / `keras.utils`, under any alias), any function
    or method of that name, or a local function that does (a `reset_keras()` helper)?"""
    for call in walk(node):
        if not isinstance(call, cst.Call):
            continue
        if method_name(call) == "clear_session" or any(
                last_part(q) == "clear_session" for q in analysis.qualified_names(call.func)):
            return True
        definition = analysis.definition_of(call.func) if isinstance(call.func, cst.Name) else None
        if isinstance(definition, cst.FunctionDef) and depth < _MAX_DEPTH and clears_session(
                analysis, definition.body, depth + 1):
            return True
    return False


def keeps(analysis: "ModuleAnalysis", body: cst.CSTNode, name: str, seen: FrozenSet[str] = frozenset()) -> bool:
    """Does `body` keep the object `name` holds beyond one repetition: append it, store it by key or in an
    attribute, return or yield it, or pass it to another name that is kept, accumulates (`ensemble = ensemble +
    [model]`) or is set conditionally (a best-so-far `best = model` under an `if`)? A plain `other = model` that
    the next repetition overwrites keeps nothing."""
    seen = seen | {name}
    for node in walk(body):
        if isinstance(node, cst.Call) and method_name(node) in KEEPING_METHODS:
            if any(holds(arg.value, name) for arg in node.args):
                return True
        elif isinstance(node, (cst.AugAssign, cst.Return, cst.Yield)):
            if node.value is not None and holds(node.value, name):
                return True
        elif isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None and holds(node.value, name):
            targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            if not all(_plain_names(target) for target in targets):
                return True  # stored by key or in an attribute
            others = set().union(*(names_used(target) for target in targets)) - seen
            accumulates = others & names_used(node.value)
            if others and (accumulates or _conditional(analysis, node, body)
                           or any(keeps(analysis, body, other, seen) for other in others)):
                return True
    return False


def _plain_names(target: cst.BaseExpression) -> bool:
    if isinstance(target, (cst.Tuple, cst.List)):
        return all(_plain_names(element.value) for element in target.elements)
    return isinstance(target, cst.Name)


def _conditional(analysis: "ModuleAnalysis", node: cst.CSTNode, body: cst.CSTNode) -> bool:
    parent = analysis.parent(node)
    while parent is not None and parent is not body:
        if isinstance(parent, cst.If):
            return True
        parent = analysis.parent(parent)
    return False


def holds(expr: Optional[cst.BaseExpression], name: str) -> bool:
    """Is the object `name` itself part of `expr` (`m`, `(m, score)`, `{"model": m}`, `Trainer(m)`), not just
    used by it (`m.fit(x)`, `evaluate(m)`)? A call of a capitalised name is taken for a class wrapping it."""
    if isinstance(expr, cst.Name):
        return expr.value == name
    if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
        return any(holds(element.value, name) for element in expr.elements)
    if isinstance(expr, cst.Dict):
        return any(holds(element.value, name) for element in expr.elements)
    if isinstance(expr, cst.BinaryOperation):
        return holds(expr.left, name) or holds(expr.right, name)
    if isinstance(expr, cst.Call) and _wraps_arguments(expr):
        return any(holds(arg.value, name) for arg in expr.args)
    return False


def _wraps_arguments(call: cst.Call) -> bool:
    callee = call.func.attr.value if isinstance(call.func, cst.Attribute) else getattr(call.func, "value", "")
    return isinstance(callee, str) and (callee in _CONTAINER_BUILTINS or callee[:1].isupper())


def built_once(analysis: "ModuleAnalysis", statement: cst.CSTNode, name: str, boundary: cst.CSTNode) -> bool:
    """Is the build guarded to run once: `if model is None:` around it, or (in a loop) `break` / `return` after it?"""
    child, parent = statement, analysis.parent(statement)
    while parent is not None and child is not boundary:
        if isinstance(parent, (cst.If, cst.While)) and child is not parent.test and name in names_used(parent.test):
            return True
        child, parent = parent, analysis.parent(parent)
    block = analysis.parent(statement)
    if not isinstance(block, cst.IndentedBlock) or not isinstance(boundary, (cst.For, cst.While)):
        return False  # a function's `return` ends one call, not the repetition
    following = list(block.body)[list(block.body).index(statement) + 1:]
    return any(isinstance(line, cst.SimpleStatementLine) and any(
        isinstance(small, (cst.Break, cst.Return)) for small in line.body) for line in following)


def iteration_count(analysis: "ModuleAnalysis", loop: Loop) -> Optional[int]:
    """How many times a `for` loop runs, when the iterable shows it: range(n), a literal list, an array."""
    if not isinstance(loop.node, cst.For):
        return None
    iterable = loop.iterable
    while _is_builtin_call(analysis, iterable, "enumerate"):
        iterable = positional_argument(iterable, 0)
    if _is_builtin_call(analysis, iterable, "range"):
        bounds = [analysis.evaluator.integer(arg.value) for arg in iterable.args if arg.keyword is None]
        if not bounds or None in bounds or len(bounds) > 3:
            return None
        start, stop = (0, bounds[0]) if len(bounds) == 1 else bounds[:2]
        step = bounds[2] if len(bounds) == 3 else 1
        return max(0, -(-(stop - start) // step)) if step > 0 else None
    value = analysis.evaluator.value(iterable)
    if isinstance(value, Seq):
        return len(value.items)
    return value.count if isinstance(value, Rows) else None


def _is_builtin_call(analysis: "ModuleAnalysis", expr, name: str) -> bool:
    return (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name) and expr.func.value == name
            and analysis.resolver.resolve(expr.func, DIRECT) is None)


def repeated_callbacks(analysis: "ModuleAnalysis") -> Dict[cst.FunctionDef, cst.Call]:
    """Local functions a library calls in a loop of its own, with the call that hands them over.

    optuna's `study.optimize(objective, n_trials=...)` calls `objective` once per trial. (keras-tuner is not one:
    its Tuner calls keras.backend.clear_session() before every build.)
    """
    driven: Dict[cst.FunctionDef, cst.Call] = {}
    for call in analysis.calls:
        if method_name(call) != "optimize" or not _is_optuna_study(analysis, call.func.value):
            continue
        function = _local_function(analysis, argument(call, 0, "func"))
        if function is not None:
            driven.setdefault(function, call)
    return driven


def trial_count(analysis: "ModuleAnalysis", driver: cst.Call) -> Optional[int]:
    return analysis.evaluator.integer(argument(driver, 1, "n_trials"))


def _is_optuna_study(analysis: "ModuleAnalysis", expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Name):
        expr = analysis.evaluator.assigned_expression(expr, DIRECT)
    return isinstance(expr, cst.Call) and any(q.startswith("optuna.") for q in analysis.qualified_names(expr.func))


def _local_function(analysis: "ModuleAnalysis", expr: Optional[cst.BaseExpression]) -> Optional[cst.FunctionDef]:
    """`objective`, `lambda trial: objective(trial, data)` or `functools.partial(objective, ...)`."""
    if isinstance(expr, cst.Lambda):
        expr = expr.body.func if isinstance(expr.body, cst.Call) else None
    elif isinstance(expr, cst.Call) and "functools.partial" in analysis.qualified_names(expr.func):
        expr = positional_argument(expr, 0)
    definition = analysis.definition_of(expr) if isinstance(expr, cst.Name) else None
    return definition if isinstance(definition, cst.FunctionDef) else None
