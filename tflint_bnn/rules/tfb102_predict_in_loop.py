"""TFB102 predict-in-loop: Model.predict called on a few rows, again and again."""

from __future__ import annotations

from typing import Iterator, Optional

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.forward import ForwardSite
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.batching import PREDICT_BATCHING_ARGUMENTS, call_arguments
from tflint_bnn.fixes.edits import join_arguments, replace_node
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
x_test = np.zeros((10_000, 8), dtype="float32")
"""


class PredictInLoop(Rule):
    code = "TFB102"
    name = "predict-in-loop"
    summary = "Model.predict on one row or a small batch inside a loop"
    fix_safety = (Applicability.SAFE, Applicability.UNSAFE)

    VALID = (
        _PRELUDE + "for i in range(0, len(x_test), 4096):\n    out = model.predict(x_test[i:i + 4096])\n",
        _PRELUDE + "models = [model]\nfor m in models:\n    preds = m.predict(x_test)\n",
        _PRELUDE + "from sklearn.linear_model import LinearRegression\nreg = LinearRegression()\n"
                   "for row in x_test:\n    reg.predict(row[None])\n",
        _PRELUDE + "out = model.predict(x_test[:32])\n",
        _PRELUDE + "for batch in dataset:\n    model.predict(batch)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "for i in range(100):\n    y = model.predict(x_test[i][None])\n",
                _PRELUDE + "for i in range(100):\n    y = model(x_test[i][None], training=False).numpy()\n"),
        Invalid(_PRELUDE + "scores = [model.predict(np.expand_dims(row, 0), verbose=0) for row in x_test[:500]]\n",
                _PRELUDE + "scores = [model(np.expand_dims(row, 0), training=False).numpy()"
                           " for row in x_test[:500]]\n"),
        Invalid(_PRELUDE + "while True:\n    action = model.predict(x_test[:32], verbose=0)\n",
                _PRELUDE + "while True:\n    action = model(x_test[:32], training=False).numpy()\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.has_loop and facts.names_any("predict") and facts.makes_models()

    def check(self, analysis) -> Iterator[Finding]:
        seen = set()
        for site in analysis.forward_sites:
            if site.call in seen or not self._applies(analysis, site):
                continue
            seen.add(site.call)
            rows = f"{site.rows.count:,} row{'s' if site.rows.count != 1 else ''}"
            message = (f"`{shorten(analysis.code(site.call))}` runs predict on {rows} inside a loop: each call "
                       "builds predict's batching machinery (measured 45 ms per call vs about 1 ms for "
                       "`model(x, training=False)` on 32 rows). Call the model directly")
            yield self.finding(analysis, site.call, message, self._fix(analysis, site))

    def _applies(self, analysis, site: ForwardSite) -> bool:
        if site.method != "predict" or site.rows is None or site.rows.count is None:
            return False
        if site.rows.count > self.settings.batch_rows or site.model.kind != "keras":
            return False
        context = analysis.context
        return (context.innermost_loop(site.call) is not None and not context.in_tf_function(site.call)
                and not context.in_keras_step(site.call))

    def _fix(self, analysis, site: ForwardSite) -> Optional[Fix]:
        if site.model.distribution_head or site.view.via_line is not None:
            return None  # predict returns a sample of the distribution; the direct call returns the distribution
        extra = call_arguments(analysis, site.call, drop=PREDICT_BATCHING_ARGUMENTS)
        if extra:
            return None  # arguments the direct call does not take
        text = (f"{analysis.code(site.model_expr)}("
                f"{join_arguments([analysis.code(site.input_expr), 'training=False'])}).numpy()")
        if site.model.outputs == 1:
            return Fix(Applicability.SAFE, "Call the model directly: same inference, ndarray result",
                       (replace_node(analysis, site.call, text),))
        return Fix(Applicability.UNSAFE, "Call the model directly (a model with several outputs returns a list, "
                   "which has no .numpy(); the model's outputs are not visible here)",
                   (replace_node(analysis, site.call, text),))
