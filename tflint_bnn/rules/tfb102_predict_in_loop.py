"""TFB102 predict-in-loop: Model.predict called on a few rows, again and again."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

import libcst as cst

from tflint_bnn.findings import Applicability, Edit, Finding, FixPlan
from tflint_bnn.fixes.batching import PREDICT_BATCHING_ARGUMENTS
from tflint_bnn.fixes.edits import join_arguments
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ForwardPass, ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule, by_site
from tflint_bnn.rules.batching import direct_call_rejects
from tflint_bnn.rules.messages import origins_phrase, repetition_phrase, shorten

_PRELUDE = """import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
x_test = np.zeros((10_000, 8), dtype="float32")
"""
_COST = ("each call builds predict's batching machinery (measured 45 ms per call vs about 1 ms for "
         "`model(x, training=False)` on 32 rows). Call the model directly")


class PredictInLoop(Rule):
    code = "TFB102"
    name = "predict-in-loop"
    summary = "Model.predict on one row or a small batch inside a loop"
    fix_safety = (Applicability.SAFE,)

    VALID = (
        _PRELUDE + "for i in range(0, len(x_test), 4096):\n    out = model.predict(x_test[i:i + 4096])\n",
        _PRELUDE + "models = [model]\nfor m in models:\n    preds = m.predict(x_test)\n",
        _PRELUDE + "from sklearn.linear_model import LinearRegression\nreg = LinearRegression()\n"
                   "for row in x_test:\n    reg.predict(row[None])\n",
        _PRELUDE + "out = model.predict(x_test[:32])\n",
        _PRELUDE + "for batch in dataset:\n    model.predict(batch)\n",
        # ten calls cost about half a second in all: not worth a finding
        _PRELUDE + "for i in range(10):\n    y = model.predict(x_test[i][None])\n",
        # a preview every 100th of 2,000 steps: 20 calls
        _PRELUDE + "for step in range(2000):\n    if (step + 1) % 100 == 0:\n"
                   "        preview = model.predict(x_test[:16], verbose=0)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "for i in range(100):\n    y = model.predict(x_test[i][None])\n",
                _PRELUDE + "for i in range(100):\n    y = model(x_test[i][None], training=False).numpy()\n",
                ((7, 8), (7, 38)),
                "`model.predict(x_test[i][None])` runs predict on 1 row 100 times (the loop at line 6): " + _COST),
        Invalid(_PRELUDE + "scores = [model.predict(np.expand_dims(row, 0), verbose=0) for row in x_test[:500]]\n",
                _PRELUDE + "scores = [model(np.expand_dims(row, 0), training=False).numpy()"
                           " for row in x_test[:500]]\n",
                ((6, 10), (6, 58)),
                "`model.predict(np.expand_dims(row, 0), verbose=0)` runs predict on 1 row 500 times (the loop at "
                "line 6): " + _COST),
        Invalid(_PRELUDE + "while True:\n    action = model.predict(x_test[:32], verbose=0)\n",
                _PRELUDE + "while True:\n    action = model(x_test[:32], training=False).numpy()\n",
                ((7, 13), (7, 50)),
                "`model.predict(x_test[:32], verbose=0)` runs predict on 32 rows an unbounded number of times "
                "(the `while` loop at line 6): " + _COST),
        Invalid(_PRELUDE + "class Agent:\n    def act(self, state):\n"
                           "        return model.predict(state.reshape(1, -1), verbose=0)\n\n"
                           "agent = Agent()\nfor step in range(1_000):\n    agent.act(x_test[step])\n",
                _PRELUDE + "class Agent:\n    def act(self, state):\n"
                           "        return model(state.reshape(1, -1), training=False).numpy()\n\n"
                           "agent = Agent()\nfor step in range(1_000):\n    agent.act(x_test[step])\n",
                ((8, 15), (8, 61)),
                "`model.predict(state.reshape(1, -1), verbose=0)` runs predict on 1 row 1,000 times (the loop at "
                "line 11); called from line 12: " + _COST),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for group in by_site(facts.forward_passes).values():
            hits = [found for found in group if self._applies(found)]
            if not hits:
                continue
            found = max(hits, key=_how_often)
            site = found.site
            rows = f"{found.rows.count:,} row{'s' if found.rows.count != 1 else ''}"
            text = (f"`{shorten(site.code)}` runs predict on {rows} {repetition_phrase(found.levels)}"
                    f"{origins_phrase(found.origins, facts.path)}: {_COST}")
            if _dropout_switched_off(found):
                text += (". This model applies Dropout with `training=True` inside its graph, and on Keras 3 predict "
                         "and `training=False` switch it off while a plain `model(x)` keeps it on: call it the way "
                         "you mean (no automatic fix)")
            yield self.finding(site.span, text, self._fix(found))

    def _applies(self, found: ForwardPass) -> bool:
        rows = found.rows
        if found.method != "predict" or rows is None or rows.count is None or found.model.kind != "keras":
            return False
        if rows.count > self.settings.batch_rows or found.traced or found.keras_step or not found.repeated:
            return False
        total = found.total
        return total is None or total >= self.settings.min_predict_calls

    def _fix(self, found: ForwardPass) -> Optional[FixPlan]:
        """Safe: predict and a direct call with training=False run the same inference, and `.numpy()` gives the
        same array; withheld where they differ (a distribution head, several outputs, predict-only arguments, an
        input a direct call rejects: a DataFrame under tf_keras, a Python list of numbers), where the model comes
        from the callers, and where Keras 3 predict switches off dropout the model's graph forces on (which call is
        meant is the author's)."""
        model = found.model
        if (model.distribution_head or not found.local or model.outputs != 1 or _dropout_switched_off(found)
                or direct_call_rejects(found)):
            return None
        if any(name not in PREDICT_BATCHING_ARGUMENTS | {"x"} for name, _ in found.site.kwargs) or \
                len(found.site.args) > 1:
            return None  # steps, callbacks, ...: nothing equivalent on a direct call
        return FixPlan(Applicability.SAFE, "Call the model directly: same inference, ndarray result",
                       _direct_call(found.site.span))


def _dropout_switched_off(found: ForwardPass) -> bool:
    """Dropout built into the graph with training=True, which predict switches off on Keras 3 (field guide §9):
    a direct call with training=False would keep that silently, and a plain call would change the results."""
    return found.model.forced_dropout and found.model.keras3


def _how_often(found: ForwardPass) -> float:
    total = found.total
    return float("inf") if total is None else total


def _direct_call(span) -> object:
    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        call = view.node_at(span, cst.Call)
        if call is None or not isinstance(call.func, cst.Attribute) or not call.args:
            return None
        text = (f"{view.code(call.func.value)}("
                f"{join_arguments([view.code(call.args[0].value), 'training=False'])}).numpy()")
        return (Edit(view.start(call), view.end(call), text),)

    return build

