"""TFB401 model-build-in-loop: a new Keras model on every iteration, and nothing calls clear_session()."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Optional

import libcst as cst

from tflint_bnn.analysis.describe import shorten
from tflint_bnn.analysis.keras_versions import PACKAGE_MODULES, KerasVersions, keras_package
from tflint_bnn.analysis.model_builds import (build_origin, built_once, clears_session, iteration_count, keeps,
                                              repeated_callbacks, trial_count)
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.blocks import insert_before
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.triage import AstFacts

# About 5 MiB a cycle was measured (753 MiB over 150): fewer cycles than this cost under 50 MiB.
_FEW_CYCLES = 10
_COST = ("low severity, modest growth: +753 MiB over 150 build/fit/predict cycles measured on Keras 3, +589 MiB "
         "with clear_session(); tf_keras +482 / +414 MiB")

_PRELUDE = """import numpy as np
from tensorflow import keras

x = np.zeros((256, 8), dtype="float32")
y = np.zeros((256, 1), dtype="float32")
"""


@dataclass(frozen=True)
class _Repetition:
    """What runs the build again and again: a loop, or a library calling a local function per trial."""

    body: cst.BaseSuite  # everything that repeats: where clear_session() or keeping the model counts
    first_block: cst.BaseSuite  # where the fix puts clear_session(): the innermost repeating block
    boundary: cst.CSTNode  # the loop or the function
    count: Optional[int]  # repetitions when visible
    phrase: str


class ModelBuildInLoop(Rule):
    code = "TFB401"
    name = "model-build-in-loop"
    summary = "A Keras model built or loaded on every loop iteration or optuna trial without clear_session()"
    fix_safety = (Applicability.UNSAFE,)

    VALID = (
        _PRELUDE + "ensemble = []\nfor seed in range(20):\n"
                   "    member = keras.Sequential([keras.layers.Dense(16), keras.layers.Dense(1)])\n"
                   "    member.compile(loss=\"mse\")\n    ensemble.append(member)\n",
        _PRELUDE + "for lr in np.logspace(-4, -1, 30):\n    keras.backend.clear_session()\n"
                   "    model = keras.Sequential([keras.layers.Dense(1)])\n"
                   "    model.compile(optimizer=keras.optimizers.Adam(lr), loss=\"mse\")\n",
        _PRELUDE + "for fold in range(3):\n    model = keras.Sequential([keras.layers.Dense(1)])\n"
                   "    model.compile(loss=\"mse\")\n",
        _PRELUDE + "model = None\nfor epoch in range(100):\n    if model is None:\n"
                   "        model = keras.models.load_model(\"checkpoint.keras\")\n"
                   "    model.fit(x, y, epochs=1, verbose=0)\n",
        _PRELUDE + "import keras_tuner as kt\n\ndef build(hp):\n"
                   "    model = keras.Sequential([keras.layers.Dense(hp.Int(\"units\", 8, 64))])\n"
                   "    model.compile(loss=\"mse\")\n    return model\n\n"
                   "tuner = kt.RandomSearch(build, objective=\"val_loss\", max_trials=50)\n"
                   "tuner.search(x, y, validation_split=0.2)\n",
        _PRELUDE + "scores = {}\nfor width in [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096]:\n"
                   "    model = keras.Sequential([keras.layers.Dense(width), keras.layers.Dense(1)])\n"
                   "    scores[width] = model\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "for trial in range(150):\n"
                           "    model = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(1)])\n"
                           "    model.compile(loss=\"mse\")\n    model.fit(x, y, epochs=1, verbose=0)\n",
                _PRELUDE + "for trial in range(150):\n    keras.backend.clear_session()\n"
                           "    model = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(1)])\n"
                           "    model.compile(loss=\"mse\")\n    model.fit(x, y, epochs=1, verbose=0)\n"),
        Invalid(_PRELUDE + "import optuna\n\ndef make_model(units):\n"
                           "    model = keras.Sequential([keras.layers.Dense(units), keras.layers.Dense(1)])\n"
                           "    model.compile(loss=\"mse\")\n    return model\n\n"
                           "def objective(trial):\n    \"\"\"One trial: fit and score.\"\"\"\n"
                           "    model = make_model(trial.suggest_int(\"units\", 8, 256))\n"
                           "    return model.fit(x, y, verbose=0).history[\"loss\"][-1]\n\n"
                           "study = optuna.create_study()\nstudy.optimize(objective, n_trials=100)\n",
                _PRELUDE + "import optuna\n\ndef make_model(units):\n"
                           "    model = keras.Sequential([keras.layers.Dense(units), keras.layers.Dense(1)])\n"
                           "    model.compile(loss=\"mse\")\n    return model\n\n"
                           "def objective(trial):\n    \"\"\"One trial: fit and score.\"\"\"\n"
                           "    keras.backend.clear_session()\n"
                           "    model = make_model(trial.suggest_int(\"units\", 8, 256))\n"
                           "    return model.fit(x, y, verbose=0).history[\"loss\"][-1]\n\n"
                           "study = optuna.create_study()\nstudy.optimize(objective, n_trials=100)\n"),
        Invalid("import tensorflow as tf\n\nwhile True:\n"
                "    model = tf.keras.models.load_model(\"latest.keras\")\n    serve(model)\n",
                "import tensorflow as tf\n\nwhile True:\n    tf.keras.backend.clear_session()\n"
                "    model = tf.keras.models.load_model(\"latest.keras\")\n    serve(model)\n"),
    )

    def may_apply(self, facts: AstFacts) -> bool:
        return facts.makes_models() and (facts.builds_in_loops() or facts.calls_any("optimize"))

    def check(self, analysis) -> Iterator[Finding]:
        callbacks = repeated_callbacks(analysis)
        versions: Optional[KerasVersions] = None
        for call in analysis.calls:
            target = _assigned_name(analysis, call)
            if target is None:
                continue
            origin = build_origin(analysis, call)
            repetition = _repetition(analysis, call, callbacks) if origin is not None else None
            if repetition is None or not self._applies(analysis, call, target.value, repetition):
                continue
            versions = versions or KerasVersions(analysis)
            message = (f"`{target.value} = {shorten(analysis.code(call))}` builds a new model {repetition.phrase}, "
                       f"and nothing there calls `clear_session()`: Keras keeps global state for every model built "
                       f"({_COST}). Build once and reset the weights, or call clear_session() before each build")
            yield self.finding(analysis, call, message, _fix(analysis, versions, origin, repetition))

    @staticmethod
    def _applies(analysis, call: cst.Call, name: str, repetition: _Repetition) -> bool:
        statement = analysis.parent(analysis.parent(call))
        if repetition.count is not None and repetition.count < _FEW_CYCLES:
            return False
        return not (built_once(analysis, statement, name, repetition.boundary)
                    or clears_session(analysis, repetition.body) or keeps(analysis, repetition.body, name))


def _assigned_name(analysis, call: cst.Call) -> Optional[cst.Name]:
    """`model = <call>` (one plain name, annotated or not)."""
    statement = analysis.parent(call)
    if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
        target = statement.targets[0].target
    elif isinstance(statement, cst.AnnAssign):
        target = statement.target
    else:
        return None
    return target if isinstance(target, cst.Name) and statement.value is call else None


def _repetition(analysis, call: cst.Call, callbacks) -> Optional[_Repetition]:
    loops = [loop for loop in analysis.context.loops(call) if isinstance(loop.node, (cst.For, cst.While))]
    if loops:
        counts = [iteration_count(analysis, loop) for loop in loops]
        total = None if None in counts else math.prod(counts)
        innermost, outermost = loops[0], loops[-1]
        return _Repetition(outermost.body, innermost.body, outermost.node, total,
                           f"on every iteration of the loop at line {analysis.line(innermost.node)}")
    functions = analysis.context.enclosing_functions(call)
    driver = callbacks.get(functions[0]) if functions else None
    if driver is None:
        return None
    function = functions[0]
    return _Repetition(function.body, function.body, function, trial_count(analysis, driver),
                       f"on every trial: `{shorten(analysis.code(driver))}` (line {analysis.line(driver)}) calls "
                       f"`{function.name.value}` once per trial")


def _fix(analysis, versions: KerasVersions, origin: str, repetition: _Repetition) -> Optional[Fix]:
    package = keras_package(origin)
    clear_session = versions.expression_for(f"{PACKAGE_MODULES[package]}.backend.clear_session") if package else None
    block = repetition.first_block
    if clear_session is None or not isinstance(block, cst.IndentedBlock):
        return None
    statements = list(block.body)
    if isinstance(repetition.boundary, cst.FunctionDef) and _is_docstring(statements[0]) and len(statements) > 1:
        statements = statements[1:]
    return Fix(Applicability.UNSAFE,
               f"Call `{clear_session}()` first (unsafe: it resets Keras' global state, the layer-name counters and "
               "in graph mode the graph itself, so models built before it, including ones kept elsewhere, can break "
               "or clash with the new ones)",
               (insert_before(analysis, statements[0], f"{clear_session}()"),))


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))
