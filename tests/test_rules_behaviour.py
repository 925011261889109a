"""Rule behaviour beyond the documented examples: contexts that must stay silent, messages, precedence."""

import pytest

PRELUDE = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
x_test = np.zeros((10_000, 32), dtype="float32")
model = keras.Sequential([keras.layers.Dense(1024, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(10)])
"""


@pytest.mark.parametrize("body", [
    # inside train_step / a GradientTape on a batch
    "class Net(keras.Model):\n    def train_step(self, data):\n        x, y = data\n"
    "        with tf.GradientTape() as tape:\n            y_pred = self(x, training=True)\n        return {}\n",
    "for xb, yb in dataset:\n    with tf.GradientTape() as tape:\n"
    "        loss = tf.reduce_mean(model(xb, training=True))\n",
    # inside tf.function on a batch
    "@tf.function\ndef step(batch):\n    return model(batch, training=False)\n",
    # small slices and tf.data batches
    "out = model(x_test[:64])\n",
    "ds = tf.data.Dataset.from_tensor_slices(x_test).batch(128)\nfor batch in ds:\n    model(batch)\n",
    "for i in range(0, len(x_test), 512):\n    model(x_test[i:i + 512])\n",
    # predict with an explicit batch size on the full data
    "probs = model.predict(x_test, batch_size=512)\n",
    # sklearn's predict in a loop
    "from sklearn.linear_model import LogisticRegression\nclf = LogisticRegression()\n"
    "for row in x_test:\n    clf.predict(row[None])\n",
    # models appended to a list in a loop (ensembles); predict on full input per model
    "ensemble = []\nfor seed in range(5):\n    m = keras.Sequential([keras.layers.Dense(4)])\n    ensemble.append(m)\n"
    "preds = [m.predict(x_test, verbose=0) for m in ensemble]\n",
    # unknown sizes stay silent
    "def infer(batch):\n    return model(batch)\n",
    "features = get_features()\nmodel(features)\n",
    # a custom predict on an object that is not a Keras model
    "class Wrapper:\n    def predict(self, x):\n        return x\n"
    "w = Wrapper()\nfor r in x_test:\n    w.predict(r[None])\n",
])
def test_silent_contexts(codes, body):
    assert codes(PRELUDE + body) == []


def test_full_batch_call_message_states_mechanism_and_estimate(lint):
    (finding,) = lint(PRELUDE + "y = model(x_test)\n")
    assert finding.code == "TFB101"
    assert "10,000 rows" in finding.message and "one forward pass" in finding.message
    assert "batch_size=256" in finding.message
    assert "MiB" in finding.message  # 3.5 x 10,000 x 1,024 x 4 bytes


def test_batch_rows_option_moves_the_threshold(codes):
    source = PRELUDE + "y = model(x_test[:2000])\n"
    assert codes(source, min_activation_mib=0) == ["TFB101"]
    assert codes(source, min_activation_mib=0, batch_rows=4096) == []


def test_small_activation_estimates_are_not_worth_a_finding(codes):
    source = PRELUDE + "y = model(x_test[:5000])\n"  # 3.5 x 5,000 x 1,024 x 4 bytes = 68 MiB
    assert codes(source) == ["TFB101"]
    assert codes(source, min_activation_mib=100) == []
    assert codes(PRELUDE + "y = model(x_test[:4000])\n") == []  # 55 MiB


def test_loaded_arrays_option(codes):
    source = PRELUDE + "data = np.load('big.npy')\ny = model(data)\n"
    assert codes(source) == ["TFB101"]
    assert codes(source, assume_loaded_arrays_large=False) == []


def test_call_site_makes_inner_call_large_and_is_named(lint):
    source = PRELUDE + (
        "def evaluate(net, features):\n    return net(features)\n\n"
        "small = evaluate(model, x_test[:10])\nbig = evaluate(model, x_test)\n"
    )
    (finding,) = lint(source)
    assert finding.code == "TFB101"
    assert finding.start[0] == 9  # reported at the inner call
    assert "line 12" in finding.message and "line 11" not in finding.message
    assert finding.fix is None


def test_call_site_inside_mc_helper(lint):
    source = PRELUDE + (
        "def mc_predict(net, x, T):\n    return np.stack([net(x, training=True) for _ in range(T)])\n\n"
        "samples = mc_predict(model, x_test, 30)\n"
    )
    (finding,) = lint(source)
    assert finding.code == "TFB201" and "line 11" in finding.message


def test_mc_sampling_supersedes_full_batch(codes):
    assert codes(PRELUDE + "s = [model(x_test, training=True) for _ in range(20)]\n") == ["TFB201"]


def test_mc_via_predict_supersedes_predict_in_loop(codes):
    small = PRELUDE + "s = [model.predict(x_test[:100], verbose=0) for _ in range(20)]\n"
    assert codes(small) == ["TFB202"]


@pytest.mark.parametrize("body", [
    "s = [model(x_test[i], training=True) for i in range(20)]\n",  # depends on the loop variable
    "for _ in range(20):\n    model(x_test, training=True)\n",  # result not kept: not sampling
    "for _ in range(3):\n    model.fit(x_test, x_test[:, :10])\n    s.append(model(x_test, training=True))\n",
    "s = [model(x_test, training=True) for x_test in shards]\n",
])
def test_not_monte_carlo(codes, body):
    assert "TFB201" not in codes(PRELUDE + body)


def test_backend_function_with_learning_phase_is_mc(codes):
    source = PRELUDE + (
        "from tensorflow.keras import backend as K\n"
        "f = K.function([model.input, K.learning_phase()], [model.output])\n"
        "samples = [f([x_test, 1])[0] for _ in range(50)]\n"
    )
    assert codes(source) == ["TFB201"]


def test_backend_function_fed_a_learning_phase_through_a_name(codes):
    source = PRELUDE + (
        "from tensorflow.keras import backend as K\n"
        "f = K.function([model.input, K.learning_phase()], [model.output])\n"
        "phase = {phase}\nsamples = [f([x_test, phase])[0] for _ in range(50)]\n"
    )
    assert codes(source.format(phase="True")) == ["TFB201"]  # dropout on: 50 stochastic full passes
    assert "TFB201" not in codes(source.format(phase="False"))  # inference: the same pass 50 times


def test_tfp_model_samples_on_every_call(codes):
    source = """
        import numpy as np
        import tf_keras as keras
        import tensorflow_probability as tfp
        x = np.random.rand(5000, 8)
        bnn = keras.Sequential([tfp.layers.DenseReparameterization(32), tfp.layers.DenseReparameterization(1)])
        preds = []
        for _ in range(10):
            preds.append(bnn(x))
        small = [bnn(x[:100]) for _ in range(10)]
        with_predict = [bnn.predict(x, verbose=0) for _ in range(10)]
    """
    assert codes(source, min_activation_mib=0) == ["TFB201"]  # predict samples too for tfp layers: no TFB202


def test_mc_dropout_batchnorm_gets_no_fix(lint):
    source = """
        import numpy as np
        import tf_keras as keras
        x = np.zeros((100, 8))
        m = keras.Sequential([keras.layers.Dense(8), keras.layers.BatchNormalization(), keras.layers.Dropout(0.5)])
        s = [m.predict(x) for _ in range(10)]
    """
    (finding,) = lint(source)
    assert finding.code == "TFB202" and "BatchNormalization" in finding.message and finding.fix is None


def test_distribution_sample_reported_once_at_sample(lint):
    source = """
        import numpy as np
        import tf_keras as keras
        import tensorflow_probability as tfp
        x = np.zeros((50_000, 4), dtype="float32")
        m = keras.Sequential([keras.layers.Dense(2), tfp.layers.IndependentNormal(1)])
        draws = m(x).sample(1000)
    """
    (finding,) = lint(source)
    assert finding.code == "TFB203" and "1,000 samples" in finding.message and "50,000 rows" in finding.message


def test_full_batch_on_distribution_head_has_no_fix(lint):
    source = """
        import numpy as np
        import tf_keras as keras
        import tensorflow_probability as tfp
        x = np.zeros((50_000, 4), dtype="float32")
        m = keras.Sequential([keras.layers.Dense(4096), keras.layers.Dense(2), tfp.layers.IndependentNormal(1)])
        dist = m(x)
        mu = dist.mean()
    """
    (finding,) = lint(source)
    assert finding.code == "TFB101" and finding.fix is None


LOADED_FISH = """
    import numpy as np
    import tensorflow as tf
    import tensorflow_probability as tfp
    import tf_keras
    x = np.loadtxt("fish.csv", delimiter=",", skiprows=1)[:, 1:5]
    inputs = tf_keras.Input(shape=(4,))
    rate = tf_keras.layers.Dense({units}, activation=tf.exp)(inputs)
    model = tf_keras.Model(inputs, tfp.layers.DistributionLambda(tfp.distributions.Poisson)(rate))
    nll = -np.mean(model(x).log_prob(1.0))
"""


def test_a_full_read_of_unknown_size_must_matter_at_a_million_rows(codes):
    # a one-unit Poisson head stays under min-activation-mib for a million rows: whatever the file holds
    assert codes(LOADED_FISH.format(units=1)) == []
    assert codes(LOADED_FISH.format(units=512)) == ["TFB101"]


def test_predict_in_loop_message_and_no_fix_for_several_outputs(lint):
    source = """
        import numpy as np
        from tensorflow import keras
        x = np.zeros((100, 4))
        inp = keras.Input((4,))
        m = keras.Model(inp, [keras.layers.Dense(1)(inp), keras.layers.Dense(2)(inp)])
        for i in range(100):
            m.predict(x[i:i + 1])
    """
    (finding,) = lint(source)
    assert finding.code == "TFB102" and "1 row" in finding.message and "45 ms" in finding.message
    assert finding.fix is None  # a direct call returns a list of tensors, which has no .numpy()


@pytest.mark.parametrize(("outputs", "applicability"), [
    ("heads = [keras.layers.Dense(1)(inp), keras.layers.Dense(2)(inp)]\nm = keras.Model(inp, heads)", None),
    ("m = keras.Model(inp, make_heads(inp))", None),  # not visible here: may be a list
    ("out = keras.layers.Dense(1)(inp)\nm = keras.Model(inp, out)", "safe"),
    ("out = keras.layers.Dense(1)(inp)\nm = keras.Model(inputs=inp, outputs=out)", "safe"),
])
def test_predict_in_loop_fix_is_safe_only_for_one_visible_output(lint, outputs, applicability):
    source = ("import numpy as np\nfrom tensorflow import keras\nx = np.zeros((100, 4))\ninp = keras.Input((4,))\n"
              + outputs + "\nfor i in range(100):\n    m.predict(x[i:i + 1])\n")
    (finding,) = lint(source)
    assert finding.code == "TFB102"
    assert (finding.fix.applicability.value if finding.fix else None) == applicability


def test_predict_in_loop_with_callbacks_has_no_fix(lint):
    source = PRELUDE + "for r in x_test[:200]:\n    model.predict(r[None], callbacks=[cb])\n"
    (finding,) = lint(source)
    assert finding.code == "TFB102" and finding.fix is None


def test_a_pass_under_a_tape_is_a_full_batch_pass_only_when_it_does_not_feed_the_gradient(codes):
    step = ("with tf.GradientTape() as tape:\n    loss = tf.reduce_mean(model(x_test))\n{extra}"
            "grads = tape.gradient(loss, model.trainable_variables)\n")
    assert codes(PRELUDE + step.format(extra="")) == []  # a training pass: the batch size is the training's choice
    monitored = codes(PRELUDE + step.format(extra="    seen = model(x_test)\n"))  # a second pass the gradient ignores
    assert "TFB101" in monitored


def test_no_fix_under_gradient_tape(lint):
    source = PRELUDE + "with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(model(x_test))\n"
    (finding,) = lint(source)
    assert finding.code == "TFB101" and finding.fix is None


@pytest.mark.parametrize("suppression, expected", [
    ("  # noqa", []),
    ("  # noqa: TFB101", []),
    ("  # noqa: TFB102", ["TFB101"]),
    ("  # NOQA:TFB201,TFB101", []),
    ("", ["TFB101"]),
])
def test_noqa(codes, suppression, expected):
    assert codes(PRELUDE + "y = model(x_test)" + suppression + "\n") == expected


def test_noqa_inside_a_string_does_not_count(codes):
    assert codes(PRELUDE + "y = model(x_test); s = '# noqa'\n") == ["TFB101"]


def test_file_level_exemption(codes):
    assert codes("# tflint-bnn: noqa\n" + PRELUDE + "y = model(x_test)\n") == []


def test_select_and_ignore(codes):
    source = PRELUDE + "y = model(x_test)\nfor r in x_test[:500]:\n    model.predict(r[None])\n"
    assert codes(source) == ["TFB101", "TFB102"]
    assert codes(source, select=("TFB102",)) == ["TFB102"]
    assert codes(source, ignore=("TFB1",)) == []
    assert codes(source, select=("TFB",), ignore=("TFB1",), extend_select=("TFB102",)) == ["TFB102"]


def test_files_without_tensorflow_are_not_parsed(lint):
    assert lint("this is not python (\n") == []  # the prefilter skips it before any parse


def test_keras_input_inside_sequential_keeps_layers_visible(lint):
    source = PRELUDE + (
        "m = keras.Sequential([keras.Input(shape=(32,)), keras.layers.Dense(1024), keras.layers.Dense(10)])\n"
        "y = m(x_test, training=False)\n")
    (finding,) = lint(source)
    assert finding.fix.applicability.value == "safe" and "MiB" in finding.message


def test_predict_on_batch_mc_sampling_is_identical_samples(codes):
    assert codes(PRELUDE + "s = [model.predict_on_batch(x_test[:500]) for _ in range(50)]\n") == ["TFB202"]


def test_no_mc_fix_under_a_tape_or_in_a_tf_function(lint):
    taped = PRELUDE + "with tf.GradientTape() as tape:\n    s = [model(x_test, training=True) for _ in range(5)]\n"
    traced = PRELUDE + "@tf.function\ndef f():\n    return [model(x_test, training=True) for _ in range(5)]\n"
    for source in (taped, traced):
        (finding,) = lint(source)
        assert finding.code == "TFB201" and finding.fix is None


def test_shared_dropout_mask_makes_batching_unsafe(lint):
    source = PRELUDE + (
        "m = keras.Sequential([keras.layers.Dense(1024), keras.layers.Dropout(0.5, noise_shape=(1, 1024))])\n"
        "s = [m(x_test, training=True) for _ in range(10)]\n")
    (finding,) = lint(source)
    assert finding.fix.applicability.value == "unsafe" and "noise_shape" in finding.fix.message


DIST_PRELUDE = """
import numpy as np
import tf_keras as keras
import tensorflow_probability as tfp
x = np.zeros((50_000, 4), dtype="float32")
head = keras.Sequential([keras.layers.Dense(1024), keras.layers.Dense(2), tfp.layers.IndependentNormal(1)])
"""


def test_sample_shape_keyword_and_single_draws(lint, codes):
    (finding,) = lint(DIST_PRELUDE + "d = head(x).sample(sample_shape=200)\n")
    assert finding.code == "TFB203" and "200 samples" in finding.message
    assert codes(DIST_PRELUDE + "d = head(x).sample()\n") == ["TFB101"]
    (full,) = lint(DIST_PRELUDE + "d = head(x).sample(1)\n")
    assert full.code == "TFB101" and "predict" not in full.message  # predict would return one sample


CLONED = """
import numpy as np
from tensorflow import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(32), keras.layers.Dense(2)])
target = keras.models.clone_model(model)
target.set_weights(model.get_weights())
"""


def test_a_cloned_model_is_a_model(codes):
    # a DQN's target network: predict on one replay batch per step
    assert codes(CLONED + "for step in range(500):\n    q = target.predict(np.zeros((32, 4)), verbose=0)\n") == \
        ["TFB102"]
    assert codes(CLONED + "q = target.predict(np.zeros((32, 4)), verbose=0)\n") == []


def test_a_nested_list_of_features_is_one_row(codes):
    source = CLONED + ("for step in range(500):\n"
                       "    q = model.predict([[step, step * 2, 0.5, 1.0]], verbose=0)\n")
    assert codes(source) == ["TFB102"]
    # two lists: one row each of a single-input model, or two inputs of a two-input model; left alone
    assert codes(source.replace("[[step, step * 2, 0.5, 1.0]]", "[[step, 1.0], [0.5, 2.0]]")) == []


def test_a_list_of_numbers_wrapped_in_a_list_is_one_row_with_no_fix(lint):
    """`model.predict([tokens])` with `tokens` a list of ids (text generation): one row. A direct call reads a
    Python list as one input per number (tf_keras; Keras 3 predict rejects such lists), so no fix is offered."""
    source = CLONED + ("tokens = [vocabulary[word] for word in ['a', 'b', 'c']]\n"
                       "for step in range(500):\n"
                       "    q = model.predict([tokens], verbose=0)\n"
                       "    tokens = tokens[1:] + [int(q.argmax())]\n")
    (finding,) = lint(source)
    assert finding.code == "TFB102" and "on 1 row 500 times" in finding.message and finding.fix is None
    # a list of arrays (frames) is not one row of numbers: left alone
    frames = source.replace("[vocabulary[word] for word in ['a', 'b', 'c']]", "[np.zeros((84, 84)) for _ in range(4)]")
    assert frames != source and lint(frames) == []


def test_predict_a_model_subclass_defines_itself_is_not_kerass_predict(codes):
    """A Model subclass that replaces predict (a method, or `self.predict = traced_fn` in __init__) runs the
    program's own code: no predict overhead to report. The same subclass without it is flagged."""
    source = """
        import numpy as np
        import tensorflow as tf

        class Policy(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.dense = tf.keras.layers.Dense(2)
                {override}

            def call(self, x):
                return self.dense(x)

        policy = Policy()
        for step in range(1_000):
            action = policy.predict(np.zeros((1, 4)))
    """
    assert codes(source.format(override="self.predict = tf.function(lambda x: self.dense(x))")) == []
    assert codes(source.format(override="pass")) == ["TFB102"]
