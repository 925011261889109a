"""TFB204 mc-outputs-retained: every Monte Carlo output kept, when only its mean and spread are read."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.findings import Finding
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule, by_site
from tflint_bnn.rules.messages import shorten
from tflint_bnn.rules.samples import retained

_PRELUDE = """import numpy as np
import tensorflow as tf
import tf_keras as keras

x_val = np.zeros((20_000, 64), dtype="float32")
model = keras.Sequential([keras.layers.Dense(32, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(100)])
"""


class MonteCarloOutputsRetained(Rule):
    code = "TFB204"
    name = "mc-outputs-retained"
    summary = "All T Monte Carlo outputs kept in a list when only their mean/std over the samples is used"

    VALID = (
        _PRELUDE + "samples = np.stack([model(x_val, training=True) for _ in range(100)])\n"
                   "lo, hi = np.percentile(samples, [5, 95], axis=0)\n",
        _PRELUDE + "samples = [model(x_val, training=True).numpy() for _ in range(100)]\n"
                   "mean = np.mean(samples, axis=0)\nnp.save('samples.npy', samples)\n",
        _PRELUDE + "total = 0\nfor _ in range(100):\n    total += model(x_val, training=True)\nmean = total / 100\n",
        _PRELUDE + "def mc(x):\n    samples = [model(x, training=True) for _ in range(100)]\n"
                   "    return tf.reduce_mean(samples, axis=0), samples\n",
        _PRELUDE + "samples = [model(x_val, training=True) for _ in range(100)]\n"
                   "per_sample = tf.reduce_mean(samples, axis=1)\n",
        _PRELUDE + "samples = [model(x_val[:256], training=True) for _ in range(100)]\n"
                   "mean = np.mean(samples, axis=0)\n",
        # 20 samples x 20,000 rows x 100 outputs: 153 MiB is kept, but 5 samples of them (38 MiB) would not be
        _PRELUDE + "samples = [model(x_val, training=True).numpy() for _ in range(5)]\n"
                   "mean = np.mean(samples, axis=0)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "samples = [model(x_val, training=True).numpy() for _ in range(100)]\n"
                           "mean = np.mean(samples, axis=0)\nstd = np.std(samples, axis=0)\n", None,
                ((8, 11), (8, 38)),
                '`samples` keeps every Monte Carlo output of `model(x_val, training=True)` (100 samples x 20,000 rows'
                ' x 100 outputs x 4 bytes = 763 MiB) but only their mean/variance over the samples is read: memory '
                'grows with T x rows x outputs, while running moments (Welford: a count, a mean and a sum of squared '
                'deviations per value, updated inside the loop) need 2 x rows x outputs whatever T is'),
        Invalid(_PRELUDE + "preds = []\nfor _ in range(50):\n    y = model(x_val, training=True)\n"
                           "    preds.append(y.numpy())\npreds = np.stack(preds)\n"
                           "mean, std = preds.mean(axis=0), preds.std(axis=0)\n", None,
                ((10, 8), (10, 35)),
                '`preds` keeps every Monte Carlo output of `model(x_val, training=True)` (50 samples x 20,000 rows x '
                '100 outputs x 4 bytes = 381 MiB) but only their mean/variance over the samples is read: memory grows'
                ' with T x rows x outputs, while running moments (Welford: a count, a mean and a sum of squared '
                'deviations per value, updated inside the loop) need 2 x rows x outputs whatever T is'),
        Invalid(_PRELUDE + "uncertainty = tf.math.reduce_std(tf.stack([model(x_val, training=True) "
                           "for _ in range(30)]), axis=0)\n", None,
                ((8, 43), (8, 70)),
                'the list keeps every Monte Carlo output of `model(x_val, training=True)` (30 samples x 20,000 rows x'
                ' 100 outputs x 4 bytes = 229 MiB) but only their mean/variance over the samples is read: memory '
                'grows with T x rows x outputs, while running moments (Welford: a count, a mean and a sum of squared '
                'deviations per value, updated inside the loop) need 2 x rows x outputs whatever T is'),
        Invalid(_PRELUDE + "def predict_mc(net, x):\n"
                           "    samples = [net(x, training=True).numpy() for _ in range(40)]\n"
                           "    return np.mean(samples, axis=0), np.std(samples, axis=0)\n\n"
                           "mean, std = predict_mc(model, x_val)\n", None,
                ((9, 15), (9, 36)),
                '`samples` keeps every Monte Carlo output of `net(x, training=True)` (40 samples x 20,000 rows x 100 '
                'outputs x 4 bytes = 305 MiB) but only their mean/variance over the samples is read: memory grows '
                'with T x rows x outputs, while running moments (Welford: a count, a mean and a sum of squared '
                'deviations per value, updated inside the loop) need 2 x rows x outputs whatever T is'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for group in by_site(facts.forward_passes).values():
            found = next((p for p in group if retained(p, self.settings) is not None), None)
            if found is None:
                continue
            kept = retained(found, self.settings)
            text = (f"{kept.label} keeps every Monte Carlo output of `{shorten(found.site.code)}` ({kept.size}) but "
                    "only their mean/variance over the samples is read: memory grows with T x rows x outputs, while "
                    "running moments (Welford: a count, a mean and a sum of squared deviations per value, updated "
                    "inside the loop) need 2 x rows x outputs whatever T is")
            yield self.finding(found.site.span, text)
