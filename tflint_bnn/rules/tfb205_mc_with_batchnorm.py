"""TFB205 mc-with-batchnorm: Monte Carlo dropout through training=True on a model with BatchNormalization."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.models import BATCHNORM
from tflint_bnn.analysis.samples import sample_count
from tflint_bnn.findings import Finding
from tflint_bnn.rules.base import Invalid, Rule, sites_by_call
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tf_keras as keras

x_val = np.zeros((512, 32), dtype="float32")
"""
_BN_MODEL = """model = keras.Sequential([keras.layers.Dense(128), keras.layers.BatchNormalization(),
                          keras.layers.ReLU(), keras.layers.Dropout(0.3), keras.layers.Dense(1)])
"""
_MC_DROPOUT = """class MCDropout(keras.layers.Dropout):
    def call(self, inputs, training=None):
        return super().call(inputs, training=True)


"""
# Keras' BatchNormalization default: moving = momentum * moving + (1 - momentum) * batch statistic, per update.
_DEFAULT_MOMENTUM = 0.99


class MonteCarloWithBatchNorm(Rule):
    code = "TFB205"
    name = "mc-with-batchnorm"
    summary = "MC dropout sampled with training=True on a model that has BatchNormalization"

    VALID = (
        _PRELUDE + _MC_DROPOUT + "model = keras.Sequential([keras.layers.Dense(128), "
                                 "keras.layers.BatchNormalization(), MCDropout(0.3), keras.layers.Dense(1)])\n"
                                 "samples = [model(x_val) for _ in range(50)]\n",
        _PRELUDE + "model = keras.Sequential([keras.layers.Dense(128), keras.layers.Dropout(0.3), "
                   "keras.layers.Dense(1)])\nsamples = [model(x_val, training=True) for _ in range(50)]\n",
        _PRELUDE + _BN_MODEL + "for xb in np.array_split(x_val, 8):\n"
                               "    outs.append(model(xb, training=True))\n",
        _PRELUDE + _BN_MODEL + "preds = [model(x_val, training=False) for _ in range(3)]\n",
    )
    INVALID = (
        Invalid(_PRELUDE + _BN_MODEL + "samples = [model(x_val, training=True) for _ in range(50)]\n"),
        Invalid(_PRELUDE + "inputs = keras.Input((32,))\nh = keras.layers.BatchNormalization()(inputs)\n"
                           "h = keras.layers.Dropout(0.5)(keras.layers.Dense(64)(h))\n"
                           "net = keras.Model(inputs, keras.layers.Dense(1)(h))\n"
                           "draws = []\nfor _ in range(20):\n    draws.append(net(x_val, training=True))\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return bool(facts.repeated_calls) and facts.names_any(*BATCHNORM, "applications") and facts.makes_models()

    def check(self, analysis) -> Iterator[Finding]:
        for call, sites in sites_by_call(analysis).items():
            hits = [site for site in sites
                    if site.method == "call" and site.training == "True" and site.model.batchnorm]
            loop = analysis.context.monte_carlo_loop(call) if hits else None
            if loop is None:
                continue
            samples = sample_count(analysis, loop, hits[0].view)
            drift = (f"with the default momentum {_DEFAULT_MOMENTUM}, {samples:,} samples move them "
                     f"{1 - _DEFAULT_MOMENTUM ** samples:.0%} of the way to the sampled batches' statistics"
                     if samples else "once per sample")
            message = (f"`{shorten(analysis.code(call))}` samples dropout in training mode, which also puts this "
                       "model's BatchNormalization in training mode: each pass normalises with the statistics of the "
                       "rows passed together, so a row's output depends on its batch mates, and updates the moving "
                       f"mean/variance ({drift}; keras#9412, tf-keras#81). Call the model with training=False and "
                       "force only dropout on: `class MCDropout(keras.layers.Dropout): def call(self, inputs, "
                       "training=None): return super().call(inputs, training=True)`")
            yield self.finding(analysis, call, message)
