"""TFB202 mc-via-predict: Monte Carlo dropout sampled in inference mode gives T identical samples."""

from __future__ import annotations

from typing import Iterator, Optional, Tuple

import libcst as cst

from tflint_bnn.findings import Applicability, Edit, Finding, FixPlan
from tflint_bnn.fixes.batching import PREDICT_BATCHING_ARGUMENTS, call_arguments
from tflint_bnn.fixes.edits import join_arguments
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ForwardPass, ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule, by_site
from tflint_bnn.rules.batching import direct_call_rejects, fix_blocked, helper_plan
from tflint_bnn.rules.messages import is_large, loop_note, shorten

_PRELUDE = """import numpy as np
import tf_keras as keras

x_val = np.zeros((500, 64), dtype="float32")
model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
"""
_KERAS3_PRELUDE = """import numpy as np
import keras

x_val = np.zeros((500, 64), dtype="float32")
inputs = keras.Input((64,))
hidden = keras.layers.Dropout(0.5)(keras.layers.Dense(256, activation="relu")(inputs), training=True)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
"""
_IDENTICAL = "Dropout is off, so every sample is identical and the spread is zero. Sample with `model(x, training=True)`"
_REASON = "samples become random, which is the point, so results differ from before"


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
        # one "sample" is a point forecast, not Monte Carlo sampling
        _PRELUDE + "forecast = [model.predict(x_val, verbose=0) for _ in range(1)]\n",
        # tf_keras takes `training` positionally: these samples vary
        _PRELUDE + "samples = np.stack([model(x_val, True).numpy() for _ in range(20)])\n",
        # Keras 3 keeps dropout built in with training=True on when the call says nothing
        _KERAS3_PRELUDE + "samples = np.stack([model(x_val).numpy() for _ in range(20)])\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "samples = np.stack([model.predict(x_val, verbose=0) for _ in range(50)])\n",
                _PRELUDE + "samples = np.stack([model(x_val, training=True).numpy() for _ in range(50)])\n",
                ((7, 20), (7, 51)),
                "`model.predict(x_val, verbose=0)` is repeated as 50 Monte Carlo samples (the loop at line 7), but "
                "predict runs in inference mode: " + _IDENTICAL),
        Invalid(_PRELUDE + "draws = []\nfor _ in range(20):\n    draws.append(model(x_val, training=False))\n",
                _PRELUDE + "draws = []\nfor _ in range(20):\n    draws.append(model(x_val, training=True))\n",
                ((9, 17), (9, 45)),
                "`model(x_val, training=False)` is repeated as 20 Monte Carlo samples (the loop at line 8), but "
                "this call runs in inference mode: " + _IDENTICAL),
        Invalid(_PRELUDE + "mean = sum(model(x_val) for _ in range(10)) / 10\n",
                _PRELUDE + "mean = sum(model(x_val, training=True) for _ in range(10)) / 10\n",
                ((7, 11), (7, 23)),
                "`model(x_val)` is repeated as 10 Monte Carlo samples (the loop at line 7), but this call runs in "
                "inference mode: " + _IDENTICAL),
        Invalid(_KERAS3_PRELUDE + "samples = np.stack([model.predict(x_val, verbose=0) for _ in range(20)])\n",
                _KERAS3_PRELUDE + "samples = np.stack([model(x_val, training=True).numpy() for _ in range(20)])\n",
                ((8, 20), (8, 51)),
                "`model.predict(x_val, verbose=0)` is repeated as 20 Monte Carlo samples (the loop at line 8), but "
                "this model applies Dropout with `training=True` inside its graph, and on Keras 3 predict switches "
                "that off: every sample is identical and the spread is zero. Call the model without `training=` "
                "(a plain `model(x)` keeps it on) or with `training=True`"),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for group in by_site(facts.forward_passes).values():
            hits = [found for found in group if found.identical_samples and found.sampling is not None
                    and found.sampling.repeats and not found.traced]
            if not hits:
                continue
            found = hits[0]
            sampling = found.sampling
            times = f"{sampling.count:,} Monte Carlo samples" if sampling.count else "Monte Carlo samples"
            how = "predict" if found.method != "call" else "training=False" if found.training == "False" else "this"
            if found.model.forced_dropout and found.model.keras3:
                why = (f"this model applies Dropout with `training=True` inside its graph, and on Keras 3 {how} "
                       "switches that off: every sample is identical and the spread is zero. Call the model without "
                       "`training=` (a plain `model(x)` keeps it on) or with `training=True`")
            else:
                mode = f"{found.method} runs" if found.method != "call" else "this call runs"
                why = f"{mode} in inference mode: {_IDENTICAL}"
                if found.model.batchnorm:
                    why += (" and keep BatchNormalization in inference mode (a Dropout subclass that forces "
                            "training)")
            text = (f"`{shorten(found.site.code)}` is repeated as {times}{loop_note(sampling, facts.path, found.site.span[0][0])}, but {why}")
            yield self.finding(found.site.span, text, self._fix(found))

    def _fix(self, found: ForwardPass) -> Optional[FixPlan]:
        """Unsafe by nature: the samples become random. Withheld where training=True would change more than dropout
        (BatchNormalization), where the result's type would change (several outputs of predict), and where the
        input cannot be sliced or the model comes from the callers."""
        if (found.model.batchnorm or fix_blocked(found) or found.site.input_code is None
                or found.model.distribution_head):
            return None
        if direct_call_rejects(found):
            return None  # predict took the input; a direct call would not
        returns_array = found.method != "call"
        if returns_array and (found.model.outputs != 1 or any(
                name not in PREDICT_BATCHING_ARGUMENTS | {"x"} for name, _ in found.site.kwargs)
                or len(found.site.args) > 1):
            return None
        batched = found.rows is None or is_large(found.rows, self.settings.batch_rows)
        reason = f"Sample in training mode ({_REASON})"
        if batched:
            plan = helper_plan(found, self.settings.fix_batch_size, Applicability.UNSAFE, reason,
                               override={"training": "True"})
            return FixPlan(plan.applicability, plan.message, _with_numpy(plan.build, found.site.span)) \
                if returns_array else plan
        return FixPlan(Applicability.UNSAFE, reason, _training_call(found, returns_array))


def _training_call(found: ForwardPass, returns_array: bool):
    span = found.site.span

    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        call = view.node_at(span, cst.Call)
        if call is None or not call.args:
            return None
        model = call.func.value if returns_array and isinstance(call.func, cst.Attribute) else call.func
        arguments = ["training=True"] if returns_array else call_arguments(
            view, call, training_position=1, override={"training": "True"})
        text = f"{view.code(model)}({join_arguments([view.code(call.args[0].value), *arguments])})"
        return (Edit(view.start(call), view.end(call), text + (".numpy()" if returns_array else "")),)

    return build


def _with_numpy(build, span):
    """predict returned an array: the batched call returns a tensor, so `.numpy()` follows it."""

    def wrapped(view: CstView) -> Optional[Tuple[Edit, ...]]:
        edits = build(view)
        if not edits:
            return None
        *helper, call = edits
        return (*helper, Edit(call.start, call.end, call.content + ".numpy()"))

    return wrapped
