"""TFB401 model-build-in-loop: a new Keras model on every iteration, and nothing calls clear_session()."""

from __future__ import annotations

from typing import Iterator

from tflint_bnn.findings import Finding
from tflint_bnn.program.contexts import total_count
from tflint_bnn.program.facts import ModuleFacts
from tflint_bnn.rules.base import Invalid, Rule
from tflint_bnn.rules.messages import origins_phrase, repetition_phrase, shorten

# About 5 MiB a cycle was measured (753 MiB over 150): fewer cycles than this cost under 50 MiB.
_FEW_CYCLES = 10
_COST = ("low severity, modest growth: +753 MiB over 150 build/fit/predict cycles measured on Keras 3, +589 MiB "
         "with clear_session(); tf_keras +482 / +414 MiB")

# Measured by `tflint-bnn validate` (fixtures/tfb401_*): a model built and compiled once, its weights and
# optimizer variables reset per run, grows by about 0 MiB a cycle; compiling it again per run grows as a new model.
_REMEDY = ("Build and compile it once, then reset its weights and optimizer variables for each run "
           "(clear_session() before each build recovers only part of it)")

_PRELUDE = """import numpy as np
from tensorflow import keras

x = np.zeros((256, 8), dtype="float32")
y = np.zeros((256, 1), dtype="float32")
"""

_TRAIN = """def train(units):
    model = keras.Sequential([keras.layers.Dense(units), keras.layers.Dense(1)])
    model.compile(loss="mse")
    return model, model.fit(x, y, verbose=0)

"""


class ModelBuildInLoop(Rule):
    code = "TFB401"
    name = "model-build-in-loop"
    summary = "A Keras model built or loaded on every loop iteration or optuna trial without clear_session()"

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
        _PRELUDE + _TRAIN + "members = []\nfor seed in range(20):\n    member, history = train(16)\n"
                            "    members.append(member)\n",
        # the applications modules' helpers scale inputs and name classes; only the capitalised names build
        _PRELUDE + "from keras.applications import imagenet_utils\nmodel = keras.applications.ResNet50()\n"
                   "for image in np.zeros((500, 1, 224, 224, 3)):\n"
                   "    pixels = imagenet_utils.preprocess_input(image)\n"
                   "    labels = imagenet_utils.decode_predictions(model(pixels).numpy())\n",
    )
    INVALID = (
        Invalid(_PRELUDE + "for trial in range(150):\n"
                           "    model = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(1)])\n"
                           "    model.compile(loss=\"mse\")\n    model.fit(x, y, epochs=1, verbose=0)\n",
                None, ((7, 12), (7, 77)),
                '`model = keras.Sequential([keras.layers.Dense(32), keras.layers.De...` builds a new model 150 times '
                '(the loop at line 6), and nothing there calls `clear_session()`: each model built and fitted keeps '
                'memory Keras does not give back (low severity, modest growth: +753 MiB over 150 build/fit/predict '
                'cycles measured on Keras 3, +589 MiB with clear_session(); tf_keras +482 / +414 MiB). Build and '
                'compile it once, then reset its weights and optimizer variables for each run (clear_session() before '
                'each build recovers only part of it)'),
        Invalid(_PRELUDE + "import optuna\n\ndef make_model(units):\n"
                           "    model = keras.Sequential([keras.layers.Dense(units), keras.layers.Dense(1)])\n"
                           "    model.compile(loss=\"mse\")\n    return model\n\n"
                           "def objective(trial):\n    \"\"\"One trial: fit and score.\"\"\"\n"
                           "    model = make_model(trial.suggest_int(\"units\", 8, 256))\n"
                           "    return model.fit(x, y, verbose=0).history[\"loss\"][-1]\n\n"
                           "study = optuna.create_study()\nstudy.optimize(objective, n_trials=100)\n",
                None, ((15, 12), (15, 58)),
                '`model = make_model(trial.suggest_int("units", 8, 256))` builds a new model 100 times (trials of '
                '`study.optimize(objective, n_trials=100)` at line 19), and nothing there calls `clear_session()`: '
                'each model built and fitted keeps memory Keras does not give back (low severity, modest growth: '
                '+753 MiB over 150 build/fit/predict cycles measured on Keras 3, +589 MiB with clear_session(); '
                'tf_keras +482 / +414 MiB). Build and compile it once, then reset its weights and optimizer '
                'variables for each run (clear_session() before each build recovers only part of it)'),
        Invalid(_PRELUDE + _TRAIN + "for units in range(8, 264, 8):\n    model, history = train(units)\n"
                                    "    print(history.history[\"loss\"][-1])\n",
                None, ((12, 21), (12, 33)),
                '`model, history = train(units)` builds a new model 32 times (the loop at line 11), and nothing there '
                'calls `clear_session()`: each model built and fitted keeps memory Keras does not give back (low '
                'severity, modest growth: +753 MiB over 150 build/fit/predict cycles measured on Keras 3, +589 MiB with '
                'clear_session(); tf_keras +482 / +414 MiB). Build and compile it once, then reset its weights and '
                'optimizer variables for each run (clear_session() before each build recovers only part of it)'),
        Invalid("import tensorflow as tf\n\nwhile True:\n"
                "    model = tf.keras.models.load_model(\"latest.keras\")\n    serve(model)\n",
                None, ((4, 12), (4, 54)),
                '`model = tf.keras.models.load_model("latest.keras")` builds a new model an unbounded number of times'
                ' (the `while` loop at line 3), and nothing there calls `clear_session()`: each model built and '
                'fitted keeps memory Keras does not give back (low severity, modest growth: +753 MiB over 150 '
                'build/fit/predict cycles measured on Keras 3, +589 MiB with clear_session(); tf_keras +482 / +414 '
                'MiB). Build and compile it once, then reset its weights and optimizer variables for each run '
                '(clear_session() before each build recovers only part of it)'),
    )

    def check(self, facts: ModuleFacts) -> Iterator[Finding]:
        seen = set()
        for found in facts.model_builds():
            build = found.build
            total = total_count(found.levels)
            if (id(found.site) in seen or not any(level.repeats for level in found.levels) or build.kept
                    or build.guarded_once or found.clears_session or (total is not None and total < _FEW_CYCLES)):
                continue
            seen.add(id(found.site))
            text = (f"`{build.written or build.target} = {shorten(found.site.code)}` builds a new model "
                    f"{repetition_phrase(found.levels)}{origins_phrase(found.origins, facts.path)}, and nothing "
                    "there calls `clear_session()`: each model built and fitted keeps memory Keras does not give back "
                    f"({_COST}). {_REMEDY}")
            yield self.finding(found.site.span, text)
