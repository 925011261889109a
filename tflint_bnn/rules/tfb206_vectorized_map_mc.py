"""TFB206 vectorized-map-mc: Monte Carlo samples drawn with tf.vectorized_map."""

from __future__ import annotations

from typing import Iterator, Optional, Union

import libcst as cst

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.names import first_tail, tf_tail
from tflint_bnn.analysis.resolve import DIRECT
from tflint_bnn.analysis.syntax import argument, names_used, positional_argument, walk
from tflint_bnn.findings import Finding
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tensorflow as tf
import tf_keras as keras

x_val = np.zeros((512, 32), dtype="float32")
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
"""
_TFP_PRELUDE = """import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
import tf_keras as keras

x_val = np.zeros((512, 32), dtype="float32")
bnn = keras.Sequential([tfp.layers.DenseFlipout(64), tfp.layers.DenseFlipout(1)])
"""
Function = Union[cst.Lambda, cst.FunctionDef]


class VectorizedMapMonteCarlo(Rule):
    code = "TFB206"
    name = "vectorized-map-mc"
    summary = "tf.vectorized_map over Monte Carlo samples: the samples come out identical"

    VALID = (
        _PRELUDE + "samples = tf.map_fn(lambda _: model(x_val, training=True), tf.range(50),\n"
                   "                    fn_output_signature=tf.float32)\n",
        _PRELUDE + "rows = tf.vectorized_map(lambda row: model(row[None], training=True), x_val)\n",
        _PRELUDE + "samples = tf.vectorized_map(lambda _: model(x_val, training=False), tf.range(50))\n",
        _PRELUDE + "squares = tf.vectorized_map(lambda t: t * t, tf.range(50))\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "samples = tf.vectorized_map(lambda _: model(x_val, training=True), tf.range(50))\n"),
        Invalid(_TFP_PRELUDE + "def draw(seed):\n    return bnn(x_val)\n\n"
                               "samples = tf.vectorized_map(draw, tf.range(20))\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.names_any("vectorized_map") and facts.makes_models()

    def check(self, analysis) -> Iterator[Finding]:
        for call in analysis.calls:
            if first_tail(analysis.qualified_names(call.func), tf_tail) != "vectorized_map":
                continue
            function = _mapped_function(analysis, argument(call, 0, "fn"))
            if function is None:
                continue
            inside = {id(node) for node in walk(function.body)}
            element = _parameter_names(function)
            passes = [site for site in analysis.forward_sites if id(site.call) in inside and site.stochastic
                      and not names_used(site.call) & element]
            if not passes:
                continue
            samples = self._sample_count(analysis, argument(call, 1, "elems"))
            message = (f"`tf.vectorized_map` draws {samples} Monte Carlo samples of "
                       f"`{shorten(analysis.code(passes[0].call))}`, a pass that does not depend on the mapped "
                       "element: vectorisation computes it once and repeats its result, so the samples come out "
                       "identical (measured: identical samples, and more memory than a Python loop). Draw samples "
                       "with `tf.map_fn` or a Python loop over batches")
            yield self.finding(analysis, call, message)

    @staticmethod
    def _sample_count(analysis, elems: Optional[cst.BaseExpression]) -> str:
        """`50` for `tf.range(50)`, else `T`."""
        if isinstance(elems, cst.Call) and first_tail(analysis.qualified_names(elems.func), tf_tail) == "range":
            stop = positional_argument(elems, 0) if len(elems.args) == 1 else None
            count = analysis.evaluator.integer(stop)
            if count is not None:
                return f"{count:,}"
        return "T"


def _mapped_function(analysis, fn: Optional[cst.BaseExpression]) -> Optional[Function]:
    """The lambda or def that `fn` names; None for anything else (a partial, a method, a parameter)."""
    if isinstance(fn, cst.Name):
        definition = analysis.definition_of(fn)
        fn = definition if definition is not None else analysis.evaluator.assigned_expression(fn, DIRECT)
    return fn if isinstance(fn, (cst.Lambda, cst.FunctionDef)) else None


def _parameter_names(function: Function) -> set:
    params = function.params
    names = {p.name.value for p in [*params.posonly_params, *params.params, *params.kwonly_params]}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return names
