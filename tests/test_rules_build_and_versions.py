"""TFB401 (models built in a loop) and TFB501 (tfp.layers in a Keras 3 model): what they flag, what they leave alone,
and the fixes they offer."""

import textwrap

import pytest

from tflint_bnn.analysis.names import keras_package
from tflint_bnn.engine import summarise
from tflint_bnn.fixes.tf_keras import _keras3_only as keras3_only
from tflint_bnn.program.facts import ModuleFacts, ProgramFacts
from tflint_bnn.findings import Applicability

# -- TFB401 model-build-in-loop ------------------------------------------------------------------------------------

BUILD_PRELUDE = """
import numpy as np
from tensorflow import keras

x = np.zeros((256, 8), dtype="float32")
y = np.zeros((256, 1), dtype="float32")

def build_model(width):
    model = keras.Sequential([keras.layers.Dense(width), keras.layers.Dense(1)])
    model.compile(loss="mse")
    return model
"""


def tfb401(findings):
    return [f for f in findings if f.code == "TFB401"]


@pytest.mark.parametrize("body", [
    # a local build function, over an iterable of unknown length
    "for width in widths:\n    model = build_model(width)\n    model.fit(x, y, verbose=0)\n",
    # loading on every request
    "while True:\n    model = keras.models.load_model('latest.keras')\n    serve(model)\n",
    # a guard on another global name does not make the build happen once
    "while True:\n    if 'weights' not in globals():\n        model = build_model(8)\n    model.fit(x, y)\n",
    # a local keras.Model subclass
    "class Net(keras.Model):\n    def call(self, inputs):\n        return inputs\n\n"
    "for seed in range(50):\n    net = Net()\n    net.compile(loss='mse')\n",
    # nested loops: 5 x 5 = 25 builds
    "for a in range(5):\n    for b in range(5):\n        model = build_model(a * b + 1)\n",
    # an annotated assignment, a functional model
    "for step in range(100):\n    inputs = keras.Input((8,))\n"
    "    model: keras.Model = keras.Model(inputs, keras.layers.Dense(1)(inputs))\n",
    # pretrained architectures
    "for name in names:\n    backbone = keras.applications.MobileNetV2(weights=None)\n",
    # another name that the next iteration overwrites keeps nothing
    "for width in widths:\n    model = build_model(width)\n    current = model\n    current.fit(x, y)\n",
    # the model's results are kept, not the model
    "scores = []\nfor width in widths:\n    model = build_model(width)\n    score = model.evaluate(x, y)\n"
    "    scores.append(score)\n",
    # del and gc.collect() do not reset Keras' state
    "import gc\nfor width in widths:\n    model = build_model(width)\n    del model\n    gc.collect()\n",
])
def test_builds_in_loops_are_flagged(lint, body):
    (finding,) = tfb401(lint(BUILD_PRELUDE + body))
    assert "low severity" in finding.message and "+753 MiB over 150" in finding.message
    assert "clear_session()" in finding.message


@pytest.mark.parametrize("body", [
    # kept on purpose: an ensemble, a dict, an attribute, a tuple in a list, another name, yield
    "ensemble = []\nfor seed in range(20):\n    member = build_model(16)\n    ensemble.append(member)\n",
    "models = {}\nfor width in widths:\n    model = build_model(width)\n    models[width] = model\n",
    "class Search:\n    def run(self, widths):\n        for width in widths:\n"
    "            model = build_model(width)\n            self.models.append(model)\n",
    "results = []\nfor width in widths:\n    model = build_model(width)\n"
    "    results.append((model, model.evaluate(x, y)))\n",
    "best, best_loss = None, 1e9\nfor width in widths:\n    model = build_model(width)\n"
    "    loss = model.evaluate(x, y)\n    if loss < best_loss:\n        best, best_loss = model, loss\n",
    "def members(widths):\n    for width in widths:\n        model = build_model(width)\n        yield model\n",
    "ensemble = []\nfor width in widths:\n    model = build_model(width)\n    ensemble = ensemble + [model]\n",
    "trainers = []\nfor width in widths:\n    model = build_model(width)\n    trainer = Trainer(model, x, y)\n"
    "    trainers.append(trainer)\n",
    # clear_session() under any alias, a method of that name, or a local helper
    "from keras import backend as K\nfor width in widths:\n    K.clear_session()\n    model = build_model(width)\n",
    "from tensorflow.keras.backend import clear_session as reset\nfor width in widths:\n"
    "    model = build_model(width)\n    reset()\n",
    "import tensorflow as tf\n\ndef reset_keras():\n    tf.keras.backend.clear_session()\n\n"
    "for width in widths:\n    reset_keras()\n    model = build_model(width)\n",
    "for width in widths:\n    keras.utils.clear_session()\n    model = build_model(width)\n",
    "for width in widths:\n    session.clear_session()\n    model = build_model(width)\n",
    # clear_session() in the outer loop covers the inner one
    "for fold in folds:\n    keras.backend.clear_session()\n    for width in widths:\n"
    "        model = build_model(width)\n",
    # built once: a guard on the same name, a retry loop
    "model = None\nfor epoch in epochs:\n    if model is None:\n        model = build_model(8)\n",
    "for attempt in range(30):\n    try:\n        model = keras.models.load_model('m.keras')\n        break\n"
    "    except OSError:\n        pass\n",
    "while model is None:\n    model = keras.models.load_model('m.keras')\n",
    # few cycles
    "for width in [8, 16, 32]:\n    model = build_model(width)\n",
    "for fold in range(5):\n    model = build_model(8)\n",
    "for i, width in enumerate([8, 16]):\n    model = build_model(width)\n",
    # not a build: a local function returning a model made once, elsewhere
    "CACHED = build_model(8)\n\ndef get_model():\n    return CACHED\n\nfor batch in batches:\n"
    "    model = get_model()\n    model.predict(batch)\n",
    # built but not rebound to a name: collected by a comprehension, or stored on an object
    "models = [build_model(w) for w in widths]\n",
    "for width in widths:\n    registry.model = build_model(width)\n",
    # tf.function over an existing model builds nothing
    "import tensorflow as tf\nmodel = build_model(8)\nfor batch in batches:\n    fast = tf.function(model)\n",
    # no loop at all
    "model = build_model(8)\nmodel.fit(x, y)\n",
    # built on the first pass only, then kept as a global
    "while True:\n    if 'model' not in globals():\n        model = build_model(8)\n    model.fit(x, y)\n",
])
def test_kept_cleared_or_single_builds_are_not_flagged(lint, body):
    assert tfb401(lint(BUILD_PRELUDE + body)) == []


def test_optuna_objective_is_flagged_at_the_build_and_names_the_driver(lint):
    source = BUILD_PRELUDE + (
        "import optuna\n\ndef objective(trial, data):\n    model = build_model(trial.suggest_int('w', 8, 64))\n"
        "    return model.evaluate(*data)\n\n"
        "study = optuna.create_study(direction='minimize')\n"
        "study.optimize(lambda trial: objective(trial, (x, y)), n_trials=200)\n")
    lines = textwrap.dedent(source).splitlines()
    (finding,) = tfb401(lint(source))
    assert finding.start[0] == lines.index("    model = build_model(trial.suggest_int('w', 8, 64))") + 1
    driver_line = next(i for i, line in enumerate(lines, 1) if line.startswith("study.optimize("))
    assert "200 times (trials of `study.optimize(lambda trial:" in finding.message
    assert f"at line {driver_line})" in finding.message


def test_optuna_through_functools_partial(codes):
    source = BUILD_PRELUDE + (
        "import functools\nimport optuna\n\ndef objective(trial, width):\n    model = build_model(width)\n"
        "    return 0.0\n\noptuna.create_study().optimize(functools.partial(objective, width=8))\n")
    assert codes(source).count("TFB401") == 1


@pytest.mark.parametrize("tail", [
    # the objective clears the session itself (optuna's own Keras example does)
    "def objective(trial):\n    keras.backend.clear_session()\n    model = build_model(8)\n    return 0.0\n\n"
    "study = optuna.create_study()\nstudy.optimize(objective, n_trials=100)\n",
    # few trials
    "def objective(trial):\n    model = build_model(8)\n    return 0.0\n\n"
    "study = optuna.create_study()\nstudy.optimize(objective, n_trials=5)\n",
    # `.optimize` on something that is not an optuna study
    "def objective(params):\n    model = build_model(8)\n    return 0.0\n\n"
    "optimizer = BayesOpt()\noptimizer.optimize(objective)\n",
    # the objective keeps its models on purpose
    "ALL = []\n\ndef objective(trial):\n    model = build_model(8)\n    ALL.append(model)\n    return 0.0\n\n"
    "optuna.create_study().optimize(objective, n_trials=100)\n",
    # an objective function that is never handed to optimize
    "def objective(trial):\n    model = build_model(8)\n    return 0.0\n",
])
def test_optuna_objectives_left_alone(lint, tail):
    assert tfb401(lint(BUILD_PRELUDE + "import optuna\n\n" + tail)) == []


@pytest.mark.parametrize("source", [
    # keras-tuner clears the session before every build (Tuner._try_build)
    "import keras\nimport keras_tuner as kt\n\ndef build(hp):\n"
    "    model = keras.Sequential([keras.layers.Dense(hp.Int('units', 8, 64))])\n    return model\n\n"
    "tuner = kt.RandomSearch(build, objective='val_loss', max_trials=100)\n",
    "import keras\nimport keras_tuner\n\nclass MyHyperModel(keras_tuner.HyperModel):\n    def build(self, hp):\n"
    "        model = keras.Sequential([keras.layers.Dense(hp.Int('units', 8, 64))])\n        return model\n\n"
    "tuner = keras_tuner.Hyperband(MyHyperModel(), objective='val_loss')\n",
])
def test_keras_tuner_builds_are_not_flagged(codes, source):
    assert "TFB401" not in codes(source)


def test_no_fix_is_offered_as_clear_session_was_measured_not_to_remove_the_growth(lint, fix):
    # `tflint-bnn validate` (fixtures/tfb401_*): clear_session() before each build left most of the growth per
    # cycle; building once and resetting the weights is a restructuring no mechanical edit can make safely.
    source = "import keras as K\n\nfor width in widths:\n    model = K.Sequential([K.layers.Dense(width)])\n"
    (finding,) = tfb401(lint(source))
    assert finding.fix is None
    assert "Build and compile it once, then reset its weights and optimizer variables" in finding.message
    assert fix(source).text == source


# -- TFB501 tfp-layers-in-keras3 -----------------------------------------------------------------------------------


def tfb501(findings):
    return [f for f in findings if f.code == "TFB501"]


@pytest.mark.parametrize("source", [
    # tf.keras through `import tensorflow as tf`
    "import tensorflow as tf\nimport tensorflow_probability as tfp\n\n"
    "model = tf.keras.Sequential([tfp.layers.DenseFlipout(8), tfp.layers.DenseFlipout(1)])\n",
    # from-imports and aliases of tfp.layers
    "from tensorflow.keras import Sequential\nfrom tensorflow_probability import layers as tfpl\n\n"
    "model = Sequential([tfpl.DenseReparameterization(8)])\n",
    "import tensorflow as tf\nimport tensorflow_probability as tfp\ntfpl = tfp.layers\n\n"
    "model = tf.keras.models.Sequential([tf.keras.layers.Dense(4), tfpl.IndependentNormal(1)])\n",
    # a layer bound to a name first
    "import keras\nimport tensorflow_probability as tfp\n\nhead = tfp.layers.DenseFlipout(1)\n"
    "model = keras.Sequential([keras.layers.Dense(4), head])\n",
    # TF_USE_LEGACY_KERAS set after TensorFlow is imported has no effect
    "import os\nimport tensorflow as tf\nimport tensorflow_probability as tfp\n"
    "os.environ['TF_USE_LEGACY_KERAS'] = '1'\n\n"
    "model = tf.keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    # ... and never applies to standalone Keras 3
    "import os\nos.environ['TF_USE_LEGACY_KERAS'] = '1'\nimport keras\nimport tensorflow_probability as tfp\n\n"
    "model = keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    # a value that does not turn it on
    "import os\nos.environ['TF_USE_LEGACY_KERAS'] = '0'\nimport tensorflow as tf\n"
    "import tensorflow_probability as tfp\n\n"
    "model = tf.keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    # a Layer subclass that holds a tfp layer
    "from tensorflow import keras\nimport tensorflow_probability as tfp\n\nclass Block(keras.layers.Layer):\n"
    "    def __init__(self):\n        super().__init__()\n        self.inner = tfp.layers.DenseFlipout(4)\n",
    # a functional graph built inside a function
    "import keras\nimport tensorflow_probability as tfp\n\ndef build():\n    inputs = keras.Input((3,))\n"
    "    outputs = tfp.layers.DenseVariational(1, None, None)(keras.layers.Dense(8)(inputs))\n"
    "    return keras.Model(inputs=inputs, outputs=outputs)\n",
])
def test_tfp_layers_in_keras3_models_are_flagged_once(lint, source):
    (finding,) = tfb501(lint(source))
    assert "Only instances of keras.Layer can be added" in finding.message and "tf_keras" in finding.message


@pytest.mark.parametrize("source", [
    "import tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
    "model = keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    "from tf_keras.models import Sequential\nimport tensorflow_probability as tfp\n\n"
    "model = Sequential([tfp.layers.DenseFlipout(1)])\n",
    # the legacy switch, set before the first TensorFlow import, in its three spellings
    "import os\nos.environ['TF_USE_LEGACY_KERAS'] = 'true'\nimport tensorflow as tf\n"
    "import tensorflow_probability as tfp\n\n"
    "model = tf.keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    "from os import environ\nenviron.update({'TF_USE_LEGACY_KERAS': '1'})\nfrom tensorflow import keras\n"
    "import tensorflow_probability as tfp\n\nmodel = keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    "import os\nos.environ.update(TF_USE_LEGACY_KERAS='1')\nfrom tensorflow import keras\n"
    "import tensorflow_probability as tfp\n\nmodel = keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    # tfp without tfp.layers in a Keras 3 model
    "import keras\nimport tensorflow_probability as tfp\n\nmodel = keras.Sequential([keras.layers.Dense(2)])\n"
    "dist = tfp.distributions.Normal(0.0, 1.0)\n",
    # a tfp layer outside any model the linter can see
    "import keras\nimport tensorflow_probability as tfp\n\ndef head(units):\n"
    "    return tfp.layers.DenseFlipout(units)\n",
    # a tf_keras model beside Keras 3 code
    "import keras\nimport tf_keras\nimport tensorflow_probability as tfp\n\n"
    "bnn = tf_keras.Sequential([tfp.layers.DenseFlipout(1)])\nplain = keras.Sequential([keras.layers.Dense(1)])\n",
])
def test_legacy_keras_and_unrelated_tfp_are_not_flagged(codes, source):
    assert "TFB501" not in codes(source)


@pytest.mark.parametrize("source, fixed", [
    ("from tensorflow.keras import layers, models\nimport tensorflow_probability as tfp\n\n"
     "model = models.Sequential([layers.Dense(4), tfp.layers.DenseFlipout(1)])\n",
     "from tf_keras import layers, models\nimport tensorflow_probability as tfp\n\n"
     "model = models.Sequential([layers.Dense(4), tfp.layers.DenseFlipout(1)])\n"),
    # names that merely read like `keras` (a keyword, an attribute) are not Keras uses
    ("import numpy as np, keras\nimport tensorflow_probability as tfp\n\n"
     "model = keras.Sequential([tfp.layers.DenseFlipout(1)])\nrun(keras=True)\nrunner.keras.start()\n",
     "import numpy as np, tf_keras as keras\nimport tensorflow_probability as tfp\n\n"
     "model = keras.Sequential([tfp.layers.DenseFlipout(1)])\nrun(keras=True)\nrunner.keras.start()\n"),
    ("import tensorflow.keras as tfk\nfrom tensorflow import keras as K\nimport tensorflow_probability as tfp\n\n"
     "model = tfk.Sequential([K.layers.Dense(2), tfp.layers.DenseFlipout(1)])\n",
     "import tf_keras as tfk\nimport tf_keras as K\nimport tensorflow_probability as tfp\n\n"
     "model = tfk.Sequential([K.layers.Dense(2), tfp.layers.DenseFlipout(1)])\n"),
])
def test_safe_fix_rewrites_every_keras_import(fix, lint, source, fixed):
    (finding,) = tfb501(lint(source))
    assert finding.fix.applicability is Applicability.SAFE
    result = fix(source, unsafe=False)
    assert result.text == fixed
    assert tfb501(lint(result.text)) == []


def test_tf_keras_chains_move_with_the_imports(fix, lint):
    source = ("import keras\nimport tensorflow_probability as tfp\nimport tensorflow as tf\n"
              "stop = tf.keras.callbacks.EarlyStopping()\n\nmodel = keras.Sequential([tfp.layers.DenseFlipout(1)])\n")
    (finding,) = tfb501(lint(source))
    assert finding.fix.applicability is Applicability.SAFE
    assert fix(source, unsafe=False).text == (
        "import tf_keras as keras\nimport tensorflow_probability as tfp\nimport tensorflow as tf\nimport tf_keras\n"
        "stop = tf_keras.callbacks.EarlyStopping()\n\nmodel = keras.Sequential([tfp.layers.DenseFlipout(1)])\n")


@pytest.mark.parametrize("extra", [
    # Keras-3-only API through the rewritten import: tf_keras has no keras.ops
    "scores = keras.ops.softmax(keras.ops.ones((2, 2)))\n",
    # a .keras file Keras 3 may have written
    "teacher = keras.models.load_model('teacher.keras')\n",
    # an import that cannot be rewritten
    "from keras import ops\n",
])
def test_no_fix_when_something_would_stay_keras3(fix, lint, extra):
    """A module that mixes Keras 3 and tf_keras fails at run time: the move is all or nothing."""
    source = ("import keras\nimport tensorflow_probability as tfp\n" + extra +
              "\nmodel = keras.Sequential([tfp.layers.DenseFlipout(1)])\n")
    (finding,) = tfb501(lint(source))
    assert finding.fix is None
    assert fix(source).text == source


@pytest.mark.parametrize("source", [
    "from tensorflow import keras, nn\nimport tensorflow_probability as tfp\n\n"
    "model = keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
    "import tensorflow.keras\nimport tensorflow_probability as tfp\n\n"
    "model = tensorflow.keras.Sequential([tfp.layers.DenseFlipout(1)])\n",
])
def test_no_fix_when_the_model_import_cannot_be_rewritten(lint, source):
    (finding,) = tfb501(lint(source))
    assert finding.fix is None


# -- which Keras a module runs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("qualified, package", [
    ("keras.Sequential", "keras"), ("keras.src.models.Sequential", "keras"),
    ("tensorflow.keras.layers.Dense", "tf.keras"), ("tf_keras.models.load_model", "tf_keras"),
    ("tensorflow.nn.relu", None), ("kerastuner.HyperModel", None), ("tensorflow_probability.layers.X", None),
])
def test_keras_package(qualified, package):
    assert keras_package(qualified) == package


def test_keras3_only_names():
    assert keras3_only("keras.ops.mean") and keras3_only("tensorflow.keras.random.normal")
    assert not keras3_only("keras.layers.Dense") and not keras3_only("tf_keras.ops")


def test_spelling_follows_the_modules_own_imports():
    summary = summarise("import tensorflow as tf\nfrom keras import backend as K\n\ndef f():\n    import tf_keras\n")
    facts = ModuleFacts(ProgramFacts({"": summary}), "")
    assert facts.spelling("tensorflow.keras.backend.clear_session") == "tf.keras.backend.clear_session"
    assert facts.spelling("keras.backend.clear_session") == "K.clear_session"
    assert facts.spelling("tf_keras.backend.clear_session") is None  # imported inside a function only


def test_loops_over_a_dict_literals_items_are_counted(lint):
    source = """
        from tensorflow import keras
        trained = {{"dropout": [{paths}], "ensemble": [{paths}], "evidential": [{paths}]}}
        for method, paths in trained.items():
            for i, path in enumerate(paths):
                model = keras.models.load_model(path)
    """
    assert lint(source.format(paths='"t1.h5", "t2.h5", "t3.h5"')) == []  # 3 x 3 = 9 loads: a bounded tiny count
    (finding,) = lint(source.format(paths='"t1.h5", "t2.h5", "t3.h5", "t4.h5"'))
    assert finding.code == "TFB401" and "12 times" in finding.message


def test_a_method_returning_its_own_object_builds_nothing(codes):
    """`engine.play(board)` returns `self`, an engine whose __init__ loaded the model once; a factory that constructs
    a new engine per call does build one per call."""
    source = """
        from tensorflow.keras.models import load_model

        class Engine:
            def __init__(self, depth):
                self.__model = load_model("engine.h5")

            def play(self, board):
                self.move = board
                return self

        def make_engine():
            return Engine(2)

        engine = Engine(3)
        while True:
            move = engine.play(1)
    """
    assert codes(source) == []
    assert codes(source.replace("move = engine.play(1)", "engine = make_engine()")) == ["TFB401"]
    assert codes(source.replace("move = engine.play(1)", "engine = Engine(4)")) == ["TFB401"]


def test_a_model_built_inside_and_stored_on_the_returned_object_is_a_build(codes):
    """`model = update_dropout(model, rate)` per rate: the function builds a new Sequential, stores it on the object
    it was given and returns that object; `self.net = ...; return self` likewise."""
    source = """
        from tensorflow.keras import Sequential
        from tensorflow.keras.layers import Dense

        class Wrapper:
            def __init__(self):
                self.model = None

            def reset(self):
                self.net = Sequential([Dense(3)])
                return self

        def update(wrapper, rate):
            fresh = Sequential([Dense(4)])
            wrapper.model = fresh
            return wrapper

        def keep(wrapper, rate):
            wrapper.rate = rate
            return wrapper

        wrapper = Wrapper()
        for rate in range(100):
            wrapper = update(wrapper, rate)
    """
    assert codes(source) == ["TFB401"]
    assert codes(source.replace("wrapper = update(wrapper, rate)", "wrapper = wrapper.reset()")) == ["TFB401"]
    assert codes(source.replace("wrapper = update(wrapper, rate)", "wrapper = keep(wrapper, rate)")) == []


def test_a_factory_that_calls_the_builder_builds_and_a_getter_of_a_kept_model_does_not(codes):
    """`get_model()` returning `build_cnn()`, or a builder picked from a registry by name: a new model per call. A
    getter returning a model a loader made once, at import, builds nothing."""
    source = """
        from tensorflow import keras

        def build_cnn():
            return keras.Sequential([keras.layers.Dense(8)])

        def build_mlp():
            return keras.Sequential([keras.layers.Dense(4)])

        BUILDERS = {"cnn": build_cnn, "mlp": build_mlp}
        SHARED = build_cnn()

        def get_model(name):
            return BODY

        for name in ["cnn", "mlp"] * 50:
            model = get_model(name)
            model.fit(x, y)
    """
    assert codes(source.replace("BODY", "build_cnn()")) == ["TFB401"]
    assert codes(source.replace("BODY", "BUILDERS[name]()")) == ["TFB401"]
    assert codes(source.replace("BODY", "SHARED")) == []
