"""TFB206 vectorized-map-mc: Monte Carlo samples drawn with tf.vectorized_map."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.findings import Finding
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import shorten

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
        Invalid(_PRELUDE + "samples = tf.vectorized_map(lambda _: model(x_val, training=True), tf.range(50))\n", None,
                ((8, 10), (8, 80)),
                '`tf.vectorized_map` draws 50 Monte Carlo samples of `model(x_val, training=True)`, a pass that does '
                'not depend on the mapped element: vectorisation computes it once and repeats its result, so the '
                'samples come out identical (measured: identical samples, and more memory than a Python loop). Draw '
                'samples with `tf.map_fn` or a Python loop over batches'),
        Invalid(_TFP_PRELUDE + "def draw(seed):\n    return bnn(x_val)\n\n"
                               "samples = tf.vectorized_map(draw, tf.range(20))\n", None,
                ((11, 10), (11, 47)),
                '`tf.vectorized_map` draws 20 Monte Carlo samples of `bnn(x_val)`, a pass that does not depend on the'
                ' mapped element: vectorisation computes it once and repeats its result, so the samples come out '
                'identical (measured: identical samples, and more memory than a Python loop). Draw samples with '
                '`tf.map_fn` or a Python loop over batches'),
    )

    supersedes = frozenset({"TFB101", "TFB201"})

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for found in facts.vectorized_maps():
            samples = f"{found.count:,}" if found.count else "T"
            inner = found.passes[0]
            text = (f"`tf.vectorized_map` draws {samples} Monte Carlo samples of `{shorten(inner.site.code)}`, a pass "
                    "that does not depend on the mapped element: vectorisation computes it once and repeats its "
                    "result, so the samples come out identical (measured: identical samples, and more memory than a "
                    "Python loop). Draw samples with `tf.map_fn` or a Python loop over batches")
            # One finding for one problem: a full-batch pass inside the mapped function is this same call.
            yield self.finding(found.site.span, text, anchor=inner.site.span)
