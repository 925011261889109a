"""TFB202 mc-via-predict: Monte Carlo dropout sampled in inference mode gives T identical samples."""

from __future__ import annotations

from typing import Iterator, Optional

from tflint_bnn.analysis.describe import is_large, shorten
from tflint_bnn.analysis.forward import ForwardSite, is_multi_input
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.batching import (HELPER_NAME, PREDICT_BATCHING_ARGUMENTS, call_arguments,
                                       fix_blocked_by_context, forward_fix, helper_name_taken)
from tflint_bnn.fixes.edits import join_arguments
from tflint_bnn.rules.base import Invalid, Rule, sites_by_call
from tflint_bnn.analysis.models import DROPOUT_LIKE
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tf_keras as keras

x_val = np.zeros((500, 64), dtype="float32")
model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
"""


class MonteCarloViaPredict(Rule):
    code = "TFB202"
    name = "mc-via-predict"
    summary = "MC dropout sampled with predict / training=False: every sample is identical"
    fix_safety = (Applicability.UNSAFE,)
    supersedes = frozenset({"TFB101", "TFB102"})

    VALID = (
        _PRELUDE + "samples = [model(x_val, training=True) for _ in range(50)]\n",
        _PRELUDE + "preds = model.predict(x_val)\n",
        "import numpy as np\nimport tf_keras as keras\nimport tensorflow_probability as tfp\n"
        "x_val = np.zeros((500, 64), dtype='float32')\n"
        "bnn = keras.Sequential([tfp.layers.DenseFlipout(64), keras.layers.Dropout(0.2), tfp.layers.DenseFlipout(1)])\n"
        "samples = [bnn.predict(x_val, verbose=0) for _ in range(50)]\n",
        _PRELUDE + "for epoch in range(10):\n    model.fit(x_val, x_val[:, :1], verbose=0)\n"
                   "    history.append(model.predict(x_val, verbose=0))\n",
        "import numpy as np\nimport tf_keras as keras\nx_val = np.zeros((500, 64))\n"
        "model = keras.Sequential([keras.layers.Dense(1)])\nsamples = [model.predict(x_val) for _ in range(5)]\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "samples = np.stack([model.predict(x_val, verbose=0) for _ in range(50)])\n",
                _PRELUDE + "samples = np.stack([model(x_val, training=True).numpy() for _ in range(50)])\n"),
        Invalid(_PRELUDE + "draws = []\nfor _ in range(20):\n    draws.append(model(x_val, training=False))\n",
                _PRELUDE + "draws = []\nfor _ in range(20):\n    draws.append(model(x_val, training=True))\n"),
        Invalid(_PRELUDE + "mean = sum(model(x_val) for _ in range(10)) / 10\n",
                _PRELUDE + "mean = sum(model(x_val, training=True) for _ in range(10)) / 10\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return bool(facts.repeated_calls) and facts.makes_models() and facts.names_any(*DROPOUT_LIKE)

    def check(self, analysis) -> Iterator[Finding]:
        for call, sites in sites_by_call(analysis).items():
            hits = [s for s in sites if s.identical_samples]
            if not hits or analysis.context.monte_carlo_loop(call) is None:
                continue
            site = hits[0]
            how = f"{site.method} runs" if site.method != "call" else "this call runs"
            message = (f"`{shorten(analysis.code(call))}` is repeated as Monte Carlo sampling, but {how} in inference "
                       "mode: Dropout is off, so every sample is identical and the spread is zero. "
                       "Sample with `model(x, training=True)`")
            if site.model.batchnorm:
                message += " and keep BatchNormalization in inference mode (a Dropout subclass that forces training)"
            yield self.finding(analysis, call, message, self._fix(analysis, site))

    def _fix(self, analysis, site: ForwardSite) -> Optional[Fix]:
        if (site.model.batchnorm or site.view.via_line is not None or site.input_expr is None
                or is_multi_input(site.input_expr, analysis, site.view) or fix_blocked_by_context(analysis, site.call)):
            return None  # training=True would also switch BatchNormalization to batch statistics
        returns_array = site.method in ("predict", "predict_on_batch")
        if returns_array:
            if call_arguments(analysis, site.call, drop=PREDICT_BATCHING_ARGUMENTS):
                return None  # steps, callbacks, ...: nothing equivalent on a direct call
            kwargs = ["training=True"]
        else:
            kwargs = call_arguments(analysis, site.call, override={"training": "True"})
        batched = site.rows is None or is_large(site.rows, self.settings.batch_rows)
        if batched and helper_name_taken(analysis.module):
            return None
        if batched:
            args = [analysis.code(site.model_expr), analysis.code(site.input_expr),
                    str(self.settings.fix_batch_size), *kwargs]
            text = f"{HELPER_NAME}({join_arguments(args)})"
        else:
            text = f"{analysis.code(site.model_expr)}({join_arguments([analysis.code(site.input_expr), *kwargs])})"
        if returns_array:
            text += ".numpy()"
        reason = ("samples become random, which is the point, so results differ from before"
                  + ("; a model with several outputs returns a list, which has no .numpy()"
                     if returns_array and site.model.outputs != 1 else ""))
        return forward_fix(analysis, site.call, text, Applicability.UNSAFE,
                           f"Sample in training mode ({reason})", site.model.flavour if batched else None)
