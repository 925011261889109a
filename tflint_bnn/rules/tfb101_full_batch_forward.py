"""TFB101 full-batch-forward: a model applied to more rows than one batch, in one pass."""

from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

import libcst as cst

from tflint_bnn.findings import Applicability, Edit, Finding, FixPlan
from tflint_bnn.fixes.batching import call_arguments
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ForwardPass, ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule, by_site, with_helper
from tflint_bnn.rules.batching import (batching_safety, extra_arguments, fix_blocked, helper_plan, message,
                                       predict_plan, sliced_predict_on_batch_plan)
from tflint_bnn.rules.messages import (activations_worth_reporting, is_large, memory_phrase, origins_phrase,
                                       rows_phrase, shorten)

_PRELUDE = """import numpy as np
import tensorflow as tf
from tensorflow import keras

x_test = np.zeros((10_000, 784), dtype="float32")
model = keras.Sequential([keras.layers.Dense(512, activation="relu"), keras.layers.Dense(10)])
"""
_MECHANISM = "runs one forward pass over all 10,000 rows at once; activation memory grows with the rows (about 68 MiB" \
             " for a 512-unit layer)"


class FullBatchForward(Rule):
    code = "TFB101"
    name = "full-batch-forward"
    summary = "A Keras model applied to a whole dataset in one forward pass"
    fix_safety = (Applicability.SAFE, Applicability.UNSAFE)

    VALID = (
        _PRELUDE + "probs = model.predict(x_test, batch_size=256, verbose=0)\n",
        _PRELUDE + "head = model(x_test[:64])\n",
        _PRELUDE + "for i in range(0, len(x_test), 256):\n    out = model(x_test[i:i + 256])\n",
        _PRELUDE + "ds = tf.data.Dataset.from_tensor_slices(x_test).batch(256)\nfor batch in ds:\n    model(batch)\n",
        _PRELUDE + "class Net(keras.Model):\n    def train_step(self, data):\n        x, y = data\n"
                   "        with tf.GradientTape() as tape:\n"
                   "            loss = self.compiled_loss(y, self(x, training=True))\n"
                   "        return {}\n",
        _PRELUDE + "@tf.function\ndef serve(batch):\n    return model(batch)\n",
        # a training pass: its result reaches the gradient the step applies (the batch size is the training's)
        _PRELUDE + "opt = keras.optimizers.Adam()\nwith tf.GradientTape() as tape:\n"
                   "    loss = tf.reduce_mean(model(x_test))\n"
                   "grads = tape.gradient(loss, model.trainable_variables)\n"
                   "opt.apply_gradients(zip(grads, model.trainable_variables))\n",
        "from sklearn.linear_model import LinearRegression\nimport numpy as np\nX = np.zeros((50_000, 3))\n"
        "reg = LinearRegression()\nreg(X)\n",
        # 5,000 rows through 64 units: about 4 MiB of activations, not worth a finding
        "import numpy as np\nfrom tensorflow import keras\nx = np.zeros((5_000, 8))\n"
        "small = keras.Sequential([keras.layers.Dense(64), keras.layers.Dense(1)])\ny = small(x)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "probs = model(x_test).numpy()\n",
                _PRELUDE + "probs = model.predict(x_test, batch_size=256, verbose=0)\n",
                ((7, 8), (7, 21)),
                f"`model(x_test)` {_MECHANISM}. Use `model.predict(x_test, batch_size=256)` for an array, or call "
                "the model per batch"),
        Invalid(_PRELUDE + "fast = tf.function(model)\nlogits = fast(x_test)\n",
                with_helper(_PRELUDE, "fast = tf.function(model)\nlogits = _batched_forward(fast, x_test, 256)\n"),
                ((8, 9), (8, 21)),
                f"`fast(x_test)` {_MECHANISM}. Call it on batches of 256 rows"),
        Invalid(_PRELUDE + "logits = model.predict_on_batch(x_test)\n",
                _PRELUDE + "logits = np.concatenate([model.predict_on_batch(x_test[start:start + 256]) "
                           "for start in range(0, max(len(x_test), 1), 256)])\n",
                ((7, 9), (7, 39)),
                f"`model.predict_on_batch(x_test)` {_MECHANISM}. Use `model.predict(x_test, batch_size=256)` for an "
                "array, or call the model per batch"),
        Invalid(_PRELUDE + "data = np.load('features.npy')\nlogits = model(data, training=False)\n",
                with_helper(_PRELUDE, "data = np.load('features.npy')\n"
                                      "logits = _batched_forward(model, data, 256, training=False)\n"),
                ((8, 9), (8, 36)),
                "`model(data, training=False)` runs one forward pass over every row of a full read from disk "
                "(np.load; assumed more than 1,024) at once; activation memory grows with the rows. Use "
                "`model.predict(data, batch_size=256)` for an array, or call the model per batch"),
        Invalid(_PRELUDE + "def evaluate(net, features):\n    return net(features)\n\nevaluate(model, x_test)\n",
                None, ((8, 11), (8, 24)),
                f"`net(features)` {_MECHANISM}; called from line 10. Use `net.predict(features, batch_size=256)` for "
                "an array, or call the model per batch"),
        Invalid(_PRELUDE + "for i in range(0, 10_000, 100):\n    chunk = model(x_test)[i:i + 100]\n",
                _PRELUDE + "for i in range(0, 10_000, 100):\n    chunk = model(x_test[i:i + 100])\n",
                ((8, 12), (8, 36)),
                "`model(x_test)[i:i + 100]` recomputes the model over every row of `x_test` on each iteration and "
                "keeps one slice; slice the input instead"),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        for group in by_site(facts.forward_passes).values():
            passes = [found for found in group if found.method != "predict" and not found.training_step]
            if not passes:
                continue  # predict batches by itself
            sliced = self._sliced_in_loop(passes[0])
            if sliced is not None:
                yield sliced
                continue
            large = [found for found in passes if self.costly(found)]
            if large:
                yield self._full_pass(facts, large)

    def costly(self, found: ForwardPass) -> bool:
        """More rows than one batch, and activations worth a user's time (or of unknown size)."""
        if not is_large(found.rows, self.settings.batch_rows):
            return False
        return activations_worth_reporting(found.model, found.rows, self.settings.min_activation_mib)

    def _full_pass(self, facts: ModuleFacts, passes: List[ForwardPass]) -> Finding:
        found = passes[0]
        site = found.site
        batch = self.settings.fix_batch_size
        if found.model.distribution_head:
            advice = f"Call it per batch of {batch} rows and keep each batch's samples or moments"
        elif (found.model.kind == "keras" and not found.stochastic and found.training in (None, "False")
              and site.input_code is not None):
            advice = (f"Use `{shorten(site.receiver_code or '')}.predict({shorten(site.input_code)}, "
                      f"batch_size={batch})` for an array, or call the model per batch")
        else:
            advice = f"Call it on batches of {batch} rows"
        origins = tuple(dict.fromkeys(origin for p in passes for origin in p.origins))
        text = (f"`{shorten(site.code)}` runs one forward pass over "
                f"{rows_phrase(found.rows, self.settings.batch_rows, facts.path)} at once; activation memory grows "
                f"with the rows{memory_phrase(found.model, found.rows)}{origins_phrase(origins, facts.path)}. {advice}")
        return self.finding(site.span, text, self._fix(facts, found))

    def _fix(self, facts: ModuleFacts, found: ForwardPass) -> Optional[FixPlan]:
        if (fix_blocked(found) or found.model.kind == "backend.function" or found.site.input_code is None
                or found.model.distribution_head):
            return None
        batch = self.settings.fix_batch_size
        # predict runs in inference mode: only a call that runs in inference mode too may become one (an explicit
        # training=True on a model whose layers are not visible may be Monte Carlo sampling).
        deterministic = not found.stochastic and found.training in (None, "False")
        concatenate = facts.spelling("numpy.concatenate")
        if (deterministic and not extra_arguments(found) and found.method == "predict_on_batch"
                and found.model.outputs == 1 and not found.multi_input and found.site.input_code.isidentifier()
                and concatenate is not None and batching_safety(found).applicability is Applicability.SAFE):
            return sliced_predict_on_batch_plan(found, batch, concatenate,
                                                f"Call predict_on_batch on slices of {batch} rows and join them")
        if deterministic and not extra_arguments(found) and (
                found.method == "predict_on_batch" or (found.site.numpy_chain is not None and found.model.kind ==
                                                       "keras" and found.method == "call")):
            what = "runs the same inference in batches" if found.method == "predict_on_batch" else \
                "returns the same array batch by batch"
            return predict_plan(found, batch, Applicability.SAFE, f"Use model.predict, which {what}")
        if found.method != "call":
            return None
        safety = batching_safety(found)
        if safety.applicability is None:
            return None
        return helper_plan(found, batch, safety.applicability,
                           message("Call the model per batch through a helper", safety.reason))

    def _sliced_in_loop(self, found: ForwardPass) -> Optional[Finding]:
        """`model(X)[i:j]` in a loop over i: the whole of X runs every iteration to keep a slice of it."""
        site = found.site
        if site.sliced is None or not site.loops or site.input_code is None or found.method != "call":
            return None
        span, piece, bounds = site.sliced
        loop = found.function.loops[site.loops[0].loop]
        if not bounds & loop.targets or site.names & loop.targets:
            return None
        rows = found.rows
        if rows is not None and rows.count is not None and not is_large(rows, self.settings.batch_rows):
            return None
        text = (f"`{shorten(site.code + '[' + piece + ']')}` recomputes the model over every row of "
                f"`{shorten(site.input_code)}` on each iteration and keeps one slice; slice the input instead")
        safety = batching_safety(found)
        fix = None
        if safety.applicability is not None and not found.multi_input and found.local:
            fix = FixPlan(safety.applicability, message("Slice the input, not the output", safety.reason),
                          _slice_input(site.span, span, piece))
        return self.finding(span, text, fix, anchor=site.span)


def _slice_input(call_span, subscript_span, piece: str):
    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        subscript = view.node_at(subscript_span, cst.Subscript)
        call = view.node_at(call_span, cst.Call)
        if subscript is None or call is None or not call.args:
            return None
        arguments = ", ".join([f"{view.code(call.args[0].value)}[{piece}]",
                               *call_arguments(view, call, training_position=1)])
        return (Edit(view.start(subscript), view.end(subscript), f"{view.code(call.func)}({arguments})"),)

    return build
