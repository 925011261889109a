"""TFB302 retrace-shape: a tf.function called in a loop on inputs whose shape changes every iteration."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

import libcst as cst

from tflint_bnn.analysis.summary import TfFunctionMade
from tflint_bnn.findings import Applicability, Edit, Finding, FixPlan
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ModuleFacts, TracedCall
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import shorten

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
        _DECORATED.format(options="") + "for i in tf.range(0, len(x), 32):\n    end = tf.minimum(i + 32, len(x))\n"
                                        "    s = total(x[i:end])\n",
        _DECORATED.format(options="(reduce_retracing=True)") + "for i in range(1, 30):\n    s = total(x[:i])\n",
        _DECORATED.format(options="(input_signature=[tf.TensorSpec([None, 8])])")
        + "for i in range(1, 30):\n    s = total(x[:i])\n",
        _DECORATED.format(options="") + "for i in range(1, 30):\n    s = tf.reduce_sum(x[:i])\n",
        _DECORATED.format(options="") + "for batch in [x[:10], x[10:20]]:\n    s = total(batch)\n",
    )
    INVALID = (
        Invalid(_DECORATED.format(options="") + "for i in range(1, 30):\n    s = total(x[:i])\n",
                _DECORATED.format(options="(reduce_retracing=True)")
                + "for i in range(1, 30):\n    s = total(x[:i])\n",
                ((11, 14), (11, 19)),
                '`total` is a tf.function and gets `x[:i]`, whose shape changes from one iteration to the next (its '
                'slice width depends on `i`): each new shape traces a new graph (measured: 29 batch sizes gave 29 '
                'traces; 2 with reduce_retracing=True, 1 with an input_signature of None dimensions). Pass '
                '`reduce_retracing=True` or an input_signature to tf.function'),
        Invalid(_PRELUDE + "fast = tf.function(tf.reduce_sum, jit_compile=True)\n"
                           "for n in [10, 50, 200]:\n    s = fast(x[:n])\n",
                _PRELUDE + "fast = tf.function(tf.reduce_sum, jit_compile=True, reduce_retracing=True)\n"
                           "for n in [10, 50, 200]:\n    s = fast(x[:n])\n",
                ((7, 13), (7, 18)),
                '`fast` is a tf.function and gets `x[:n]`, whose shape changes from one iteration to the next (its '
                'slice width depends on `n`): each new shape traces a new graph (measured: 29 batch sizes gave 29 '
                'traces; 2 with reduce_retracing=True, 1 with an input_signature of None dimensions). Pass '
                '`reduce_retracing=True` or an input_signature to tf.function'),
        Invalid(_PRELUDE + "fast = tf.function(tf.reduce_sum, experimental_relax_shapes=False)\n"
                           "for batch in [x[:10], x[:20], x[:30]]:\n    s = fast(batch)\n", None,
                ((7, 13), (7, 18)),
                '`fast` is a tf.function and gets `batch`, whose shape changes from one iteration to the next '
                '(`batch` iterates over arrays of different lengths): each new shape traces a new graph (measured: 29'
                ' batch sizes gave 29 traces; 2 with reduce_retracing=True, 1 with an input_signature of None '
                'dimensions). Pass `reduce_retracing=True` or an input_signature to tf.function'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for call in facts.traced_calls():
            if call.relaxes_shapes or call.has_input_signature:
                continue
            site = call.site
            for index, names in enumerate(site.shapes_vary):
                names = facts.items_of_different_lengths(call, names)
                if names:
                    value = site.argument_codes[index]
                    yield self.finding(site.argument_spans[index], self._message(call, value, names),
                                       self._fix(call))
                    break

    @staticmethod
    def _message(call: TracedCall, value: str, names) -> str:
        shown = shorten(value, 40)
        cause = (f"`{shown}` iterates over arrays of different lengths" if names == {shown}
                 else "its slice width depends on " + ", ".join(f"`{name}`" for name in sorted(names)))
        return (f"`{call.name}` is a tf.function and gets `{shown}`, whose shape changes from one iteration to the "
                f"next ({cause}): each new shape traces a new graph (measured: 29 batch sizes gave "
                "29 traces; 2 with reduce_retracing=True, 1 with an input_signature of None dimensions). Pass "
                "`reduce_retracing=True` or an input_signature to tf.function")

    @staticmethod
    def _fix(call: TracedCall) -> Optional[FixPlan]:
        made = call.made
        if made is None or call.sets_shape_option or call.reads_shapes:
            return None  # an explicit choice stays visible; code that reads static shapes would see None
        return FixPlan(Applicability.UNSAFE, f"{_RELAX} (code inside that reads static shapes sees None dimensions)",
                       _relax(made))


def _relax(made: TfFunctionMade):
    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        if made.bare_decorator is not None:  # a bare `@tf.function`
            node = view.node_at(made.bare_decorator)
            if node is None:
                return None
            return (Edit(view.start(node), view.end(node), f"{view.code(node)}(reduce_retracing=True)"),)
        call = view.node_at(made.options_span, cst.Call)
        if call is None:
            return None
        if call.args:
            end = view.end(call.args[-1].value)
            return (Edit(end, end, ", reduce_retracing=True"),)
        return (Edit(view.start(call), view.end(call), f"{view.code(call.func)}(reduce_retracing=True)"),)

    return build
