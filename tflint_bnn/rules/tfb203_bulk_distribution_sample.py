"""TFB203 bulk-distribution-sample: `.sample(T)` on the distribution of a full-batch call."""

from __future__ import annotations

from typing import Iterator

import libcst as cst

from tflint_bnn.analysis.resolve import DIRECT
from tflint_bnn.analysis.describe import is_large, rows_phrase, shorten
from tflint_bnn.analysis.syntax import argument, method_name
from tflint_bnn.analysis.values import Distribution
from tflint_bnn.findings import Finding
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.analysis.models import TFP_DISTRIBUTION_HEADS
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tf_keras as keras
import tensorflow_probability as tfp

x_test = np.zeros((10_000, 16), dtype="float32")
model = keras.Sequential([keras.layers.Dense(2),
                          tfp.layers.DistributionLambda(lambda t: tfp.distributions.Normal(t[..., :1], 1.0))])
"""


class BulkDistributionSample(Rule):
    code = "TFB203"
    name = "bulk-distribution-sample"
    summary = "dist.sample(T) on the output distribution of a whole-dataset call"
    supersedes = frozenset({"TFB101"})

    VALID = (
        _PRELUDE + "dist = model(x_test[:256])\ndraws = dist.sample(100)\n",
        _PRELUDE + "dist = model(x_test)\nmean, std = dist.mean(), dist.stddev()\n",
        _PRELUDE + "for i in range(0, 10_000, 256):\n    draws = model(x_test[i:i + 256]).sample(100)\n",
        "import numpy as np\nfrom tensorflow import keras\nimport random\nx = np.zeros((50_000, 4))\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\npicked = random.sample(list(range(10)), 3)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "draws = model(x_test).sample(100)\n"),
        Invalid(_PRELUDE + "dist = model(x_test)\ndraws = dist.sample(500)\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return (facts.names_any("sample") and facts.names_any(*TFP_DISTRIBUTION_HEADS)
                and self.large_rows_possible(facts))

    def check(self, analysis) -> Iterator[Finding]:
        for call in analysis.calls:
            if method_name(call) != "sample":
                continue
            receiver = call.func.value
            dist = analysis.evaluator.value(receiver)
            if not isinstance(dist, Distribution) or not is_large(dist.rows, self.settings.batch_rows):
                continue
            shape = argument(call, 0, "sample_shape")
            if shape is None:
                continue  # one draw: no bulk tensor; the full pass itself is TFB101's
            samples = analysis.evaluator.integer(shape)
            if samples == 1:
                continue
            count = f"{samples:,}" if samples else "T"
            message = (f"`{shorten(analysis.code(call))}` materialises {count} samples for "
                       f"{rows_phrase(dist.rows, self.settings.batch_rows)} in one tensor ({count} x rows x event "
                       "values), after one forward pass over all of them. Sample per batch of rows, or use the "
                       "distribution's mean()/stddev() when moments are all you need")
            yield self.finding(analysis, call, message, anchor=self._forward_call(analysis, receiver))

    @staticmethod
    def _forward_call(analysis, receiver: cst.BaseExpression) -> cst.BaseExpression:
        """The model call that produced the distribution: TFB101 at that call is this same problem."""
        if isinstance(receiver, cst.Name):
            assigned = analysis.evaluator.assigned_expression(receiver, DIRECT)
            if assigned is not None:
                return assigned
        return receiver
