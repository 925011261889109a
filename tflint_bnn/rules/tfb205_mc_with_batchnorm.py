"""TFB205 mc-with-batchnorm: Monte Carlo dropout through training=True on a model with BatchNormalization."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.findings import Finding
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule, by_site
from tflint_bnn.rules.messages import shorten

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
        Invalid(_PRELUDE + _BN_MODEL + "samples = [model(x_val, training=True) for _ in range(50)]\n", None,
                ((7, 11), (7, 38)),
                "`model(x_val, training=True)` samples dropout in training mode, which also puts this model's "
                'BatchNormalization in training mode: each pass normalises with the statistics of the rows passed '
                "together, so a row's output depends on its batch mates, and updates the moving mean/variance (with "
                "the default momentum 0.99, 50 samples move them 39% of the way to the sampled batches' statistics; "
                'keras#9412, tf-keras#81). Call the model with training=False and force only dropout on: `class '
                'MCDropout(keras.layers.Dropout): def call(self, inputs, training=None): return super().call(inputs, '
                'training=True)`'),
        Invalid(_PRELUDE + "inputs = keras.Input((32,))\nh = keras.layers.BatchNormalization()(inputs)\n"
                           "h = keras.layers.Dropout(0.5)(keras.layers.Dense(64)(h))\n"
                           "net = keras.Model(inputs, keras.layers.Dense(1)(h))\n"
                           "draws = []\nfor _ in range(20):\n    draws.append(net(x_val, training=True))\n", None,
                ((11, 17), (11, 42)),
                "`net(x_val, training=True)` samples dropout in training mode, which also puts this model's "
                'BatchNormalization in training mode: each pass normalises with the statistics of the rows passed '
                "together, so a row's output depends on its batch mates, and updates the moving mean/variance (with "
                "the default momentum 0.99, 20 samples move them 18% of the way to the sampled batches' statistics; "
                'keras#9412, tf-keras#81). Call the model with training=False and force only dropout on: `class '
                'MCDropout(keras.layers.Dropout): def call(self, inputs, training=None): return super().call(inputs, '
                'training=True)`'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for group in by_site(facts.forward_passes).values():
            hits = [found for found in group if found.method == "call" and found.training == "True"
                    and found.model.batchnorm and found.sampling is not None and found.sampling.repeats]
            if not hits:
                continue
            found = hits[0]
            samples = found.sampling.count
            drift = (f"with the default momentum {_DEFAULT_MOMENTUM}, {samples:,} samples move them "
                     f"{1 - _DEFAULT_MOMENTUM ** samples:.0%} of the way to the sampled batches' statistics"
                     if samples else "once per sample")
            text = (f"`{shorten(found.site.code)}` samples dropout in training mode, which also puts this "
                    "model's BatchNormalization in training mode: each pass normalises with the statistics of the "
                    "rows passed together, so a row's output depends on its batch mates, and updates the moving "
                    f"mean/variance ({drift}; keras#9412, tf-keras#81). Call the model with training=False and "
                    "force only dropout on: `class MCDropout(keras.layers.Dropout): def call(self, inputs, "
                    "training=None): return super().call(inputs, training=True)`")
            yield self.finding(found.site.span, text)
