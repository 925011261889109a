"""TFB203 bulk-distribution-sample: `.sample(T)` on the distribution of a full-batch call."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.findings import Finding
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import is_large, rows_phrase, shorten

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
        Invalid(_PRELUDE + "draws = model(x_test).sample(100)\n", None,
                ((8, 8), (8, 33)),
                '`model(x_test).sample(100)` materialises 100 samples for all 10,000 rows in one tensor (100 x rows x'
                ' event values), after one forward pass over all of them. Sample per batch of rows, or use the '
                "distribution's mean()/stddev() when moments are all you need"),
        Invalid(_PRELUDE + "dist = model(x_test)\ndraws = dist.sample(500)\n", None,
                ((9, 8), (9, 24)),
                '`dist.sample(500)` materialises 500 samples for all 10,000 rows in one tensor (500 x rows x event '
                'values), after one forward pass over all of them. Sample per batch of rows, or use the '
                "distribution's mean()/stddev() when moments are all you need"),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for found in facts.distribution_samples():
            if not is_large(found.distribution.rows, self.settings.batch_rows) or found.count == 1:
                continue
            count = f"{found.count:,}" if found.count else "T"
            text = (f"`{shorten(found.site.code)}` materialises {count} samples for "
                    f"{rows_phrase(found.distribution.rows, self.settings.batch_rows, facts.path)} in one tensor "
                    f"({count} x rows x event values), after one forward pass over all of them. Sample per batch of "
                    "rows, or use the distribution's mean()/stddev() when moments are all you need")
            yield self.finding(found.site.span, text, anchor=found.forward)
