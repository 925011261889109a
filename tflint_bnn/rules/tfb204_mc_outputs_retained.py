"""TFB204 mc-outputs-retained: every Monte Carlo output kept, when only its mean and spread are read."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.analysis.describe import BYTES_PER_FLOAT, human_bytes, shorten
from tflint_bnn.analysis.samples import MOMENT_FUNCTIONS, output_width, retained_for_moments, sample_count
from tflint_bnn.findings import Finding
from tflint_bnn.rules.base import Invalid, Rule, sites_by_call
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tensorflow as tf
import tf_keras as keras

x_val = np.zeros((10_000, 64), dtype="float32")
model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(10)])
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
    )
    INVALID = (
        Invalid(_PRELUDE + "samples = [model(x_val, training=True).numpy() for _ in range(100)]\n"
                           "mean = np.mean(samples, axis=0)\nstd = np.std(samples, axis=0)\n"),
        Invalid(_PRELUDE + "preds = []\nfor _ in range(50):\n    y = model(x_val, training=True)\n"
                           "    preds.append(y.numpy())\npreds = np.stack(preds)\n"
                           "mean, std = preds.mean(axis=0), preds.std(axis=0)\n"),
        Invalid(_PRELUDE + "uncertainty = tf.math.reduce_std(tf.stack([model(x_val, training=True) "
                           "for _ in range(30)]), axis=0)\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return bool(facts.repeated_calls) and facts.makes_models() and facts.calls_any(*MOMENT_FUNCTIONS)

    def check(self, analysis) -> Iterator[Finding]:
        for call, sites in sites_by_call(analysis).items():
            # Kept outputs cost T x rows x outputs: for a known batch-sized input that stays small.
            sampled = [site for site in sites if (site.stochastic or site.identical_samples) and not (
                site.rows is not None and site.rows.count is not None and site.rows.count <= self.settings.batch_rows)]
            loop = analysis.context.monte_carlo_loop(call) if sampled else None
            if loop is None:
                continue
            site = sampled[0]
            retained = retained_for_moments(analysis, call, loop, site.model.distribution_head)
            if retained is None:
                continue
            message = (f"{retained.label} keeps every Monte Carlo output of `{shorten(analysis.code(call))}` "
                       f"({self._size(analysis, site, loop)}) but only their mean/variance over the samples is "
                       "read: memory grows with T x rows x outputs, while running moments (Welford: a count, a "
                       "mean and a sum of squared deviations per value, updated inside the loop) need 2 x rows "
                       "x outputs whatever T is")
            yield self.finding(analysis, call, message)

    @staticmethod
    def _size(analysis, site, loop) -> str:
        samples = sample_count(analysis, loop, site.view)
        rows = site.rows.count if site.rows is not None else None
        width = None if site.model.distribution_head else output_width(analysis, site.model_expr, site.view)
        factors = [f"{samples:,} samples" if samples else "T samples",
                   f"{rows:,} rows" if rows else "N rows",
                   f"{width:,} outputs" if width else "outputs"]
        if samples and rows and width:
            return " x ".join(factors) + f" x 4 bytes = {human_bytes(samples * rows * width * BYTES_PER_FLOAT)}"
        return " x ".join(factors)
