"""tf.functions: where each is created, with which options, and which calls run one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional

import libcst as cst

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.loop_variance import inside
from tflint_bnn.analysis.names import first_tail, tf_tail
from tflint_bnn.analysis.resolve import DIRECT
from tflint_bnn.analysis.syntax import argument, is_constant, keyword_argument, positional_argument, walk

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

# Both keywords let a tf.function trace one graph with None dimensions instead of one graph per shape.
RELAX_SHAPE_KEYWORDS = ("reduce_retracing", "experimental_relax_shapes")


@dataclass(frozen=True, eq=False)
class TfFunction:
    name: str  # how the code refers to it: the def's name, the name it is assigned to, or the call's source
    node: cst.CSTNode = field(repr=False)  # the decorated FunctionDef, or the `tf.function(...)` call
    options: Optional[cst.Call] = field(repr=False)  # the call that holds the keywords; None for `@tf.function`
    decorator: Optional[cst.Decorator] = field(default=None, repr=False)
    wrapped: Optional[cst.BaseExpression] = field(default=None, repr=False)  # what `tf.function(g)` wraps

    @property
    def relaxes_shapes(self) -> bool:
        return self.options is not None and any(
            is_constant(keyword_argument(self.options, keyword), "True") for keyword in RELAX_SHAPE_KEYWORDS)

    @property
    def sets_shape_option(self) -> bool:
        """reduce_retracing / experimental_relax_shapes written with any value."""
        return self.options is not None and any(
            keyword_argument(self.options, keyword) is not None for keyword in RELAX_SHAPE_KEYWORDS)

    @property
    def has_input_signature(self) -> bool:
        if self.options is None:
            return False
        signature = argument(self.options, 1, "input_signature")
        return signature is not None and not is_constant(signature, "None")


class TfFunctions:
    def __init__(self, analysis: "ModuleAnalysis"):
        self._analysis = analysis
        self._by_node: Dict[cst.CSTNode, TfFunction] = {}
        for call in analysis.calls:
            wrapped = positional_argument(call, 0)
            # `@tf.function(...)` belongs to its def; `tf.function(jit_compile=True)` alone is a decorator factory.
            if wrapped is not None and self.is_tf_function(call.func) and not isinstance(
                    analysis.parent(call), cst.Decorator):
                self._by_node[call] = TfFunction(self._assigned_name(call), call, call, wrapped=wrapped)
        for node in walk(analysis.module):
            if isinstance(node, cst.FunctionDef):
                for decorator in node.decorators:
                    expr = decorator.decorator
                    options = expr if isinstance(expr, cst.Call) else None
                    if self.is_tf_function(options.func if options is not None else expr):
                        self._by_node[node] = TfFunction(node.name.value, node, options, decorator=decorator)

    def traces(self, function: cst.FunctionDef) -> bool:
        """Does `function` run as traced graph code: decorated with tf.function, or wrapped as `tf.function(f)`?"""
        if function in self._by_node:
            return True
        return any(isinstance(fn.wrapped, cst.Name) and self._analysis.definition_of(fn.wrapped) is function
                   for fn in self._by_node.values())

    @property
    def created(self) -> List[TfFunction]:
        """Every tf.function the module creates, in source order."""
        return sorted(self._by_node.values(), key=lambda fn: self._analysis.start(fn.node))

    def is_tf_function(self, expr: cst.BaseExpression) -> bool:
        """Does `expr` name `tf.function`, under any import alias?"""
        return first_tail(self._analysis.qualified_names(expr), tf_tail) == "function"

    def called_by(self, call: cst.Call) -> Optional[TfFunction]:
        """The tf.function `call` runs: `step(x)` (a decorated def, `step = tf.function(g)`), `tf.function(g)(x)`."""
        func = call.func
        if isinstance(func, cst.Call):
            return self._by_node.get(func)
        if not isinstance(func, cst.Name):
            return None
        definition = self._analysis.definition_of(func)
        if definition is not None:
            return self._by_node.get(definition)
        assigned = self._analysis.evaluator.assigned_expression(func, DIRECT)
        return self._by_node.get(assigned) if assigned is not None else None

    def called_in_loop(self, call: cst.Call) -> Optional[TfFunction]:
        """The tf.function `call` runs again and again: a call in a loop, outside any traced code, of a tf.function
        made before the loop (one made inside the loop is a different problem: a new function every iteration)."""
        fn = self.called_by(call)
        context = self._analysis.context
        loops = context.loops(call)
        if fn is None or not loops or context.in_tf_function(call):
            return None
        return None if any(inside(self._analysis, fn.node, loop.body) for loop in loops) else fn

    def _assigned_name(self, call: cst.Call) -> str:
        parent = self._analysis.parent(call)
        if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
            return self._analysis.code(parent.targets[0].target)
        return shorten(self._analysis.code(call))
