"""TFB101 full-batch-forward: a model applied to more rows than one batch, in one pass."""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst

from tflint_bnn.analysis.describe import is_large, memory_phrase, rows_phrase, shorten, via_phrase
from tflint_bnn.analysis.foreign import group_by_inner_call
from tflint_bnn.analysis.forward import ForwardSite, is_multi_input
from tflint_bnn.analysis.syntax import names_used
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.batching import (batched_text, batching_safety, call_arguments, fix_blocked_by_context,
                                       fix_message, forward_fix, helper_name_taken, numpy_chain, predict_text)
from tflint_bnn.fixes.edits import replace_node
from tflint_bnn.rules.base import Invalid, Rule, sites_by_call, with_helper
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tensorflow as tf
from tensorflow import keras

x_test = np.zeros((10_000, 784), dtype="float32")
model = keras.Sequential([keras.layers.Dense(512, activation="relu"), keras.layers.Dense(10)])
"""


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
        "from sklearn.linear_model import LinearRegression\nimport numpy as np\nX = np.zeros((50_000, 3))\n"
        "reg = LinearRegression()\nreg(X)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "probs = model(x_test).numpy()\n",
                _PRELUDE + "probs = model.predict(x_test, batch_size=256, verbose=0)\n"),
        Invalid(_PRELUDE + "fast = tf.function(model)\nlogits = fast(x_test)\n",
                with_helper(_PRELUDE, "fast = tf.function(model)\nlogits = _batched_forward(fast, x_test, 256)\n")),
        Invalid(_PRELUDE + "logits = model.predict_on_batch(x_test)\n",
                _PRELUDE + "logits = model.predict(x_test, batch_size=256, verbose=0)\n"),
        Invalid(_PRELUDE + "data = np.load('features.npy')\nlogits = model(data, training=False)\n",
                with_helper(_PRELUDE, "data = np.load('features.npy')\n"
                                      "logits = _batched_forward(model, data, 256, training=False)\n")),
        Invalid(_PRELUDE + "def evaluate(net, features):\n    return net(features)\n\nevaluate(model, x_test)\n"),
        Invalid(_PRELUDE + "for i in range(0, 10_000, 100):\n    chunk = model(x_test)[i:i + 100]\n",
                _PRELUDE + "for i in range(0, 10_000, 100):\n    chunk = model(x_test[i:i + 100])\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.makes_models() and (self.large_rows_possible(facts) or facts.sliced_call)

    def check(self, analysis) -> Iterator[Finding]:
        for call, sites in sites_by_call(analysis).items():
            if analysis.context.in_keras_step(call):
                continue
            sites = [site for site in sites if site.method != "predict"]  # predict batches by itself
            if not sites:
                continue
            sliced = self._sliced_in_loop(analysis, call, sites[0])
            if sliced is not None:
                yield sliced
                continue
            large = [site for site in sites if is_large(site.rows, self.settings.batch_rows)]
            if large:
                yield self._full_pass(analysis, large)
        for sites in group_by_inner_call(analysis.foreign_sites).values():
            large = [site for site in sites if is_large(site.rows, self.settings.batch_rows)]
            if large:
                yield self._foreign_pass(analysis, large)

    def _foreign_pass(self, analysis, sites) -> Finding:
        """A helper in another file runs the model on an array one of this module's calls makes large."""
        site = sites[0]
        mechanism = (f"`{shorten(site.use.code)}` runs one forward pass over "
                     f"{rows_phrase(site.rows, self.settings.batch_rows)} at once; activation memory grows with the "
                     f"rows{memory_phrase(site.model, site.rows)}")
        return self.foreign_finding(analysis, sites, mechanism,
                                    f"Call it on batches of {self.settings.fix_batch_size} rows")

    def _full_pass(self, analysis, sites) -> Finding:
        site = sites[0]
        code = analysis.code(site.call)
        batch = self.settings.fix_batch_size
        if site.model.distribution_head:
            advice = f"Call it per batch of {batch} rows and keep each batch's samples or moments"
        elif site.model.kind == "keras" and not site.stochastic and site.input_expr is not None:
            advice = (f"Use `{shorten(analysis.code(site.model_expr))}.predict("
                      f"{shorten(analysis.code(site.input_expr))}, batch_size={batch})` for an array, or call "
                      "the model per batch")
        else:
            advice = f"Call it on batches of {batch} rows"
        message = (f"`{shorten(code)}` runs one forward pass over {rows_phrase(site.rows, self.settings.batch_rows)} "
                   f"at once; activation memory grows with the rows{memory_phrase(site.model, site.rows)}"
                   f"{via_phrase(s.view.via_line for s in sites)}. {advice}")
        return self.finding(analysis, site.call, message, self._fix(analysis, site))

    def _fix(self, analysis, site: ForwardSite) -> Optional[Fix]:
        if (site.model.kind == "backend.function" or site.input_expr is None or site.model.distribution_head
                or fix_blocked_by_context(analysis, site.call) or site.view.via_line):
            return None  # a function reached through a call site may receive other models elsewhere
        batch = self.settings.fix_batch_size
        deterministic = not site.stochastic and site.training != "dynamic"
        if deterministic and site.method == "predict_on_batch":
            return forward_fix(analysis, site.call, predict_text(analysis, site.model_expr, site.input_expr, batch),
                               Applicability.SAFE, "Use model.predict, which runs the same inference in batches", None)
        chain = numpy_chain(analysis, site.call)
        if deterministic and chain is not None and site.model.kind == "keras":
            return forward_fix(analysis, chain, predict_text(analysis, site.model_expr, site.input_expr, batch),
                               Applicability.SAFE, "Use model.predict, which returns the same array batch by batch",
                               None)
        if site.method != "call" or is_multi_input(site.input_expr, analysis, site.view) or helper_name_taken(
                analysis.module):
            return None
        safety = batching_safety(site.model, site.training)
        if safety.applicability is None:
            return None
        text = batched_text(analysis, site, batch, call_arguments(analysis, site.call))
        return forward_fix(analysis, site.call, text, safety.applicability,
                           fix_message("Call the model per batch through a helper", safety.reason), site.model.flavour)

    def _sliced_in_loop(self, analysis, call: cst.Call, site: ForwardSite) -> Optional[Finding]:
        """`model(X)[i:j]` in a loop over i: the whole of X runs every iteration to keep a slice of it."""
        subscript = analysis.parent(call)
        loop = analysis.context.innermost_loop(call)
        if (loop is None or not isinstance(subscript, cst.Subscript) or subscript.value is not call
                or len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Slice)
                or site.input_expr is None or site.method != "call"):
            return None
        piece = subscript.slice[0].slice
        bounds = set().union(*(names_used(b) for b in (piece.lower, piece.upper) if b is not None))
        if not bounds & loop.targets or names_used(call) & loop.targets:
            return None
        if site.rows is not None and not is_large(site.rows, self.settings.batch_rows) and site.rows.count is not None:
            return None
        code = analysis.code(subscript)
        message = (f"`{shorten(code)}` recomputes the model over every row of "
                   f"`{shorten(analysis.code(site.input_expr))}` on each iteration and keeps one slice; "
                   "slice the input instead")
        safety = batching_safety(site.model, site.training)
        fix = None
        if safety.applicability is not None and not is_multi_input(site.input_expr, analysis, site.view):
            sliced_input = f"{analysis.code(site.input_expr)}[{analysis.code(piece)}]"
            arguments = ", ".join([sliced_input, *call_arguments(analysis, call)])
            fix = Fix(safety.applicability, fix_message("Slice the input, not the output", safety.reason),
                      (replace_node(analysis, subscript, f"{analysis.code(call.func)}({arguments})"),))
        return self.finding(analysis, subscript, message, fix, anchor=call)
