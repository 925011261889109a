"""TFB303 tf-function-in-loop: a tf.function created inside a loop and called in the same iteration."""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst

from tflint_bnn.analysis.context import ACCUMULATING_METHODS, Loop
from tflint_bnn.analysis.loop_variance import bindings, inside, mutated_roots
from tflint_bnn.analysis.syntax import method_name, names_used, walk
from tflint_bnn.analysis.tf_functions import TfFunction
from tflint_bnn.findings import Applicability, Edit, Finding, Fix
from tflint_bnn.fixes.edits import line_offsets
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

_PRELUDE = """import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(4)])
batches = [tf.ones((32, 8)) for _ in range(10)]
"""
_STRINGS = (cst.SimpleString, cst.FormattedString)


class TfFunctionInLoop(Rule):
    code = "TFB303"
    name = "tf-function-in-loop"
    summary = "tf.function created inside a loop and called in the same iteration: a new trace every iteration"
    fix_safety = (Applicability.SAFE,)

    VALID = (
        _PRELUDE + "fast = tf.function(model)\nfor batch in batches:\n    y = fast(batch)\n",
        _PRELUDE + "models = [model, model]\nfast = [tf.function(m) for m in models]\n",
        _PRELUDE + "serve = None\nfor batch in batches:\n    if serve is None:\n        serve = tf.function(model)\n"
                   "    y = serve(batch)\n",
        _PRELUDE + "for m in [model]:\n    fast = tf.function(m)\n    for batch in batches:\n        y = fast(batch)\n",
        _PRELUDE + "compiled = []\nfor m in [model]:\n    fast = tf.function(m)\n    compiled.append(fast)\n"
                   "    fast(batches[0])\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "for batch in batches:\n    fast = tf.function(model)\n    y = fast(batch)\n",
                _PRELUDE + "fast = tf.function(model)\nfor batch in batches:\n    y = fast(batch)\n"),
        Invalid(_PRELUDE + "def run(batches):\n    out = []\n    for batch in batches:\n        @tf.function\n"
                           "        def step(x):\n            return model(x, training=False)\n\n"
                           "        out.append(step(batch))\n    return out\n",
                _PRELUDE + "def run(batches):\n    out = []\n    @tf.function\n    def step(x):\n"
                           "        return model(x, training=False)\n\n    for batch in batches:\n"
                           "        out.append(step(batch))\n    return out\n"),
        Invalid(_PRELUDE + "for batch in batches:\n    scale = 2.0 * len(batch)\n"
                           "    fast = tf.function(lambda x: model(x) * scale)\n    y = fast(batch)\n"),
        Invalid(_PRELUDE + "outputs = [tf.function(model)(batch) for batch in batches]\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return "function" in facts.called_in_loops

    def check(self, analysis) -> Iterator[Finding]:
        context = analysis.context
        for fn in analysis.tf_functions.created:
            loop = context.innermost_loop(fn.node)
            if loop is None or context.in_tf_function(fn.node) or self._conditional(analysis, fn.node, loop):
                continue
            if not self._called_in_same_iteration(analysis, fn, loop):
                continue
            where = (f"the loop over {', '.join(f'`{t}`' for t in sorted(loop.targets))}" if loop.targets
                     else "a `while` loop")
            message = (f"`{fn.name}` is a tf.function created inside {where} and called in the same iteration: "
                       "every new tf.function traces a new graph on its first call, so this traces once per "
                       "iteration (TensorFlow warns \"triggered tf.function retracing\"). Create it once, before "
                       "the loop")
            node = fn.decorator if fn.decorator is not None else fn.node
            yield self.finding(analysis, node, message, self._hoist(analysis, fn, loop))

    @staticmethod
    def _conditional(analysis, node: cst.CSTNode, loop: Loop) -> bool:
        """Created under an `if` in the loop: usually made once and cached (`if fn is None: fn = tf.function(g)`)."""
        current = analysis.parent(node)
        while current is not None and current is not loop.body:
            if isinstance(current, (cst.If, cst.IfExp)):
                return True
            current = analysis.parent(current)
        return False

    def _called_in_same_iteration(self, analysis, fn: TfFunction, loop: Loop) -> bool:
        """`tf.function(g)(x)`, or a call of the new function in the loop body, not in a loop nested deeper;
        a function that is also stored (`fns.append(fast)`, `cache[k] = fast`) is kept for later, on purpose."""
        parent = analysis.parent(fn.node)
        if isinstance(parent, cst.Call) and parent.func is fn.node:
            return True
        name = _bound_name(analysis, fn)
        if name is None or _stored(loop.body, name):
            return False
        return any(isinstance(call.func, cst.Name) and call.func.value == name and inside(analysis, call, loop.body)
                   and analysis.context.innermost_loop(call).node is loop.node
                   and analysis.tf_functions.called_by(call) is fn for call in analysis.calls)

    def _hoist(self, analysis, fn: TfFunction, loop: Loop) -> Optional[Fix]:
        """Move the creating statement right before the loop when nothing it captures changes in the loop."""
        statement = fn.node if fn.decorator is not None else analysis.parent(analysis.parent(fn.node))
        name = _bound_name(analysis, fn)
        if (name is None or not isinstance(loop.node, (cst.For, cst.While))
                or analysis.parent(statement) is not loop.node.body or len(loop.node.body.body) < 2):
            return None
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) != 1:
            return None
        changing = ({bound for bound, _ in bindings(loop.body, skip=statement)} | set(loop.targets)
                    | mutated_roots(analysis, loop.body, skip=statement))
        captured = names_used(statement) - {name}
        wrapped = fn.wrapped
        definition = analysis.definition_of(wrapped) if isinstance(wrapped, cst.Name) else None
        if isinstance(definition, cst.FunctionDef):
            captured |= names_used(definition)
        if name in changing or captured & changing or _used_before(analysis, loop, statement, name):
            return None
        return _move_before(analysis, statement, loop.node)


def _bound_name(analysis, fn: TfFunction) -> Optional[str]:
    """The plain name the new function is bound to: the def's name, or `fast` in `fast = tf.function(g)`."""
    if fn.decorator is not None:
        return fn.node.name.value
    assign = analysis.parent(fn.node)
    if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(assign.targets[0].target, cst.Name):
        return assign.targets[0].target.value
    return None


def _stored(body: cst.CSTNode, name: str) -> bool:
    for node in walk(body):
        if isinstance(node, cst.Call) and method_name(node) in ACCUMULATING_METHODS:
            if any(isinstance(arg.value, cst.Name) and arg.value.value == name for arg in node.args):
                return True
        elif isinstance(node, cst.Assign) and isinstance(node.value, cst.Name) and node.value.value == name:
            if any(isinstance(target.target, (cst.Subscript, cst.Attribute)) for target in node.targets):
                return True
    return False


def _used_before(analysis, loop: Loop, statement: cst.CSTNode, name: str) -> bool:
    """Read before it is made: the first iteration would see the hoisted function instead of the old value."""
    test = loop.node.test if isinstance(loop.node, cst.While) else None
    if test is not None and name in names_used(test):
        return True
    start = analysis.start(statement)
    return any(isinstance(node, cst.Name) and node.value == name and analysis.start(node) < start
               for node in walk(loop.body))


def _move_before(analysis, statement: cst.CSTNode, loop_node: cst.CSTNode) -> Optional[Fix]:
    """Whole source lines of `statement`, re-indented to the loop's level, inserted above the loop."""
    if any(isinstance(node, _STRINGS) and "\n" in analysis.code(node) for node in walk(statement)):
        return None  # re-indenting would change a multi-line string
    first = statement.decorators[0] if isinstance(statement, cst.FunctionDef) and statement.decorators else statement
    (first_line, column), (last_line, _) = analysis.start(first), analysis.end(statement)
    (loop_line, loop_column) = analysis.start(loop_node)
    source = analysis.module.code
    offsets = line_offsets(source)
    while last_line < len(offsets) - 1 and not source[offsets[last_line]:offsets[last_line + 1]].strip():
        last_line += 1  # the blank lines that set a def apart travel with it
    lines = source[offsets[first_line - 1]:offsets[last_line] if last_line < len(offsets) else len(source)]
    lines = lines.splitlines(keepends=True)
    indent = lines[0][:column]
    loop_indent = source[offsets[loop_line - 1]:offsets[loop_line - 1] + loop_column]
    if indent.strip() or loop_indent.strip() or any(line.strip() and not line.startswith(indent) for line in lines):
        return None
    moved = "".join(loop_indent + line[len(indent):] if line.strip() else line for line in lines)
    if not moved.endswith(("\n", "\r")):
        moved += "\n"
    return Fix(Applicability.SAFE, "Create the tf.function once, before the loop: nothing it captures changes "
               "inside the loop", (Edit((loop_line, 0), (loop_line, 0), moved),
                                   Edit((first_line, 0), (last_line + 1, 0), "")))
