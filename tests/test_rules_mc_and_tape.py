"""TFB103 (inference under a tape), TFB204-TFB206 (Monte Carlo outputs, BatchNormalization, vectorized_map):
behaviour beyond the documented examples, silent cases first-class."""

import functools
import textwrap

import pytest

from tflint_bnn.engine import Linter
from tflint_bnn.findings import Applicability
from tflint_bnn.settings import Settings

PRELUDE = """
import numpy as np
import tensorflow as tf
import tf_keras as keras
x = np.zeros((256, 32), dtype="float32")
y = np.zeros((256, 1), dtype="float32")
x_val = np.zeros((256, 32), dtype="float32")
x_big = np.zeros((10_000, 32), dtype="float32")
model = keras.Sequential([keras.layers.Dense(64, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(10)])
bn_model = keras.Sequential([keras.layers.Dense(64), keras.layers.BatchNormalization(), keras.layers.Dropout(0.5),
                             keras.layers.Dense(1)])
"""


def only(findings, code):
    return [f for f in findings if f.code == code]


# -- TFB103 inference-under-tape ---------------------------------------------------------------------------------
TAPE_STEP = """
def step(x, y, x_val):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(tf.square(logits - y))
        {extra}
    {after}
"""
GRADIENT = "grads = tape.gradient(loss, model.trainable_variables)"


def tape_step(extra, after=GRADIENT):
    return PRELUDE + TAPE_STEP.format(extra=extra, after=after)


def test_tape_validation_pass_is_flagged_with_the_measured_cost_and_a_safe_fix(lint, fix):
    source = tape_step("val = model(x_val)")
    (finding,) = only(lint(source), "TFB103")
    assert "`model(x_val)`" in finding.message and "`tape.gradient`" in finding.message
    assert "167 MiB" in finding.message and "514 MiB" in finding.message
    assert finding.fix.applicability is Applicability.SAFE
    fixed = fix(source, unsafe=False)
    assert "        with tape.stop_recording():\n            val = model(x_val)\n" in fixed.text
    assert only(fixed.remaining, "TFB103") == []


@pytest.mark.parametrize("extra, after", [
    # the result reaches the loss through other names, a list, a closure, or a second gradient
    ("h = model(x_val)\n        z = h * 2\n        loss = loss + tf.reduce_sum(z)", GRADIENT),
    ("outs = []\n        outs.append(model(x_val))\n        total = loss + tf.add_n(outs)",
     "grads = tape.gradient(total, model.trainable_variables)"),
    ("aux = model(x_val)\n        def penalty():\n            return tf.reduce_sum(aux)",
     "grads = tape.gradient(loss + penalty(), model.trainable_variables)"),
    ("(aux, other) = model(x_val), 1\n        loss = loss + aux[0, 0]", GRADIENT),
    ("model.add_loss(tf.reduce_mean(model(x_val)))", GRADIENT),
    ("_ = model(x_val)\n        loss = loss + tf.add_n(model.losses)", GRADIENT),  # activity regularizers
    # the tape leaves the function or is never asked for a gradient: its fate is unknown
    ("val = model(x_val)", "grads = compute_gradients(tape, loss)"),
    ("val = model(x_val)", "return tape"),
    ("val = model(x_val)", "pass"),
    # the value itself leaves the function, or is paused already
    ("return model(x_val)", GRADIENT),
    ("with tape.stop_recording():\n            val = model(x_val)", GRADIENT),
])
def test_tape_silent_when_the_result_may_reach_the_gradient(codes, extra, after):
    assert "TFB103" not in codes(tape_step(extra, after))


def test_tape_persistent_second_gradient_uses_the_probe(codes):
    source = PRELUDE + (
        "with tf.GradientTape(persistent=True) as tape:\n    loss = tf.reduce_sum(model(x))\n"
        "    probe = model(x_val)\n"
        "g1 = tape.gradient(loss, model.trainable_variables)\ng2 = tape.gradient(probe, model.trainable_variables)\n"
    )
    assert "TFB103" not in codes(source)


def test_tape_gan_step_each_pass_reaches_one_of_two_tapes(codes):
    source = PRELUDE + (
        "gen = keras.Sequential([keras.layers.Dense(32)])\ndisc = keras.Sequential([keras.layers.Dense(1)])\n"
        "with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:\n"
        "    fake = gen(x, training=True)\n    real_out = disc(x, training=True)\n"
        "    fake_out = disc(fake, training=True)\n    gen_loss = -tf.reduce_mean(fake_out)\n"
        "    disc_loss = tf.reduce_mean(fake_out) - tf.reduce_mean(real_out)\n"
        "g_gen = gen_tape.gradient(gen_loss, gen.trainable_variables)\n"
        "g_disc = disc_tape.gradient(disc_loss, disc.trainable_variables)\n"
    )
    assert "TFB103" not in codes(source)


def test_tape_without_watching_variables_records_nothing_of_the_model(codes):
    source = PRELUDE + (
        "xt = tf.constant(x)\nwith tf.GradientTape(watch_accessed_variables=False) as tape:\n    tape.watch(xt)\n"
        "    out = tf.reduce_sum(xt * 2.0)\n    val = model(x_val)\ng = tape.gradient(out, xt)\n"
    )
    assert "TFB103" not in codes(source)


@pytest.mark.parametrize("wrapper", [
    "@tf.function\ndef step(x, y, x_val):",
    "class Net(keras.Model):\n  def train_step(self, data):",
])
def test_tape_in_graph_code_is_silent(codes, wrapper):
    body = ("with tf.GradientTape() as tape:\n    loss = tf.reduce_sum(model(x))\n    val = model(x_val)\n"
            "grads = tape.gradient(loss, model.trainable_variables)\n")
    source = PRELUDE + wrapper + "\n" + textwrap.indent(body, " " * (8 if "class" in wrapper else 4))
    assert "TFB103" not in codes(source)


def test_tape_under_any_import_alias(codes):
    source = PRELUDE + (
        "from tensorflow import GradientTape as Recorder\nwith Recorder() as rec:\n"
        "    loss = tf.reduce_sum(model(x))\n    val = model(x_val)\n"
        "grads = rec.gradient(loss, model.trainable_variables)\n"
    )
    assert codes(source).count("TFB103") == 1


def test_tape_a_local_class_named_gradienttape_is_not_a_tape(codes):
    source = PRELUDE + (
        "class GradientTape:\n    def __enter__(self): return self\n    def __exit__(self, *a): pass\n"
        "    def gradient(self, *a): pass\n"
        "with GradientTape() as tape:\n    loss = tf.reduce_sum(model(x))\n    val = model(x_val)\n"
        "grads = tape.gradient(loss, model.trainable_variables)\n"
    )
    assert "TFB103" not in codes(source)


@pytest.mark.parametrize("extra", [
    "for xb in [x_val]:\n            monitor = model(xb)",  # not directly in the tape's block
    "val = model(x_val); count = 1",  # two statements on one line
    "log.append(model(x_val))",  # not an assignment
])
def test_tape_finding_without_fix_when_not_a_plain_statement_of_the_block(lint, extra):
    (finding,) = only(lint(tape_step(extra)), "TFB103")
    assert finding.fix is None


def test_tape_nested_tapes_get_no_fix(lint):
    source = PRELUDE + (
        "xt = tf.constant(x)\nwith tf.GradientTape() as outer:\n    with tf.GradientTape() as inner:\n"
        "        inner.watch(xt)\n        loss = tf.reduce_sum(model(xt))\n        val = model(x_val)\n"
        "    g = inner.gradient(loss, xt)\nh = outer.gradient(g, xt)\n"
    )
    (finding,) = only(lint(source), "TFB103")
    assert finding.fix is None


def test_tape_fix_keeps_tabs_and_crlf():
    source = PRELUDE.replace("\n", "\r\n") + (
        "def step():\r\n\twith tf.GradientTape() as tape:\r\n\t\tloss = tf.reduce_sum(model(x))\r\n"
        "\t\tval = model(x_val)\r\n\tgrads = tape.gradient(loss, model.trainable_variables)\r\n"
    )
    result = Linter(Settings()).fix(source, unsafe_fixes=False)
    assert "\t\twith tape.stop_recording():\r\n\t\t\tval = model(x_val)\r\n" in result.text


# -- TFB204 mc-outputs-retained ----------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "s = [model(x_big, training=True).numpy() for _ in range(20)]\nm = np.mean(s, axis=0)\n",
    "s = []\nfor _ in range(20):\n    s.append(np.asarray(model(x_big, training=True)))\n"
    "m, v = tf.reduce_mean(s, 0), tf.math.reduce_variance(s, axis=0)\n",
    "s = []\nfor _ in range(20):\n    out = model(x_big, training=True)\n    s.append(out)\n"
    "s = tf.stack(s)\nsd = tf.math.reduce_std(s, axis=0)\n",
    "s = np.array([model.predict(x_big, verbose=0) for _ in range(20)])\nm, sd = s.mean(0), s.std(0)\n",
    "from keras import ops\ns = [model(x_big, training=True) for _ in range(20)]\nm = ops.mean(ops.stack(s), axis=0)\n",
])
def test_retained_samples_read_only_as_moments(codes, body):
    codes = functools.partial(codes, min_retained_mib=0)
    assert codes(PRELUDE + body).count("TFB204") == 1


@pytest.mark.parametrize("body", [
    "s = [model(x_big, training=True) for _ in range(20)]\nm = np.mean(s, axis=0)\nresults['samples'] = s\n",
    "s = [model(x_big, training=True) for _ in range(20)]\nm = np.mean(s, axis=0)\nfirst = s[0]\n",
    "s = [model(x_big, training=True) for _ in range(20)]\nm = np.mean(s)\n",  # pooled over rows too
    "s = [model(x_big, training=True) for _ in range(20)]\nm = np.mean(s, axis=1)\n",
    "s = np.stack([model(x_big, training=True) for _ in range(20)], axis=1)\nm = s.mean(0)\n",
    "s = [model(x_big, training=True) for _ in range(20)]\nm = np.median(s, axis=0)\n",
    "s = [model(x_big, training=True) for _ in range(20)]\nplt.hist(np.stack(s).ravel())\nm = np.mean(s, 0)\n",
    "s = [model(x_big, training=True) for _ in range(20)]\nn = len(s)\n",
    "s = []\nfor _ in range(20):\n    s.append(model(x_big, training=True))\n    print(s[-1])\nm = np.mean(s, 0)\n",
    "s = load_previous()\nfor _ in range(20):\n    s.append(model(x_big, training=True))\nm = np.mean(s, 0)\n",
    "s = []\nfor _ in range(20):\n    s.append(np.argmax(model(x_big, training=True), -1))\nm = np.mean(s, 0)\n",
    "s = [model(x_big[:512], training=True) for _ in range(20)]\nm = np.mean(s, axis=0)\n",  # small
    "total = 0\nfor _ in range(20):\n    total += model(x_big, training=True)\n",  # running sum already
    "s = [model(x_big, training=True) for _ in range(20)]\n",  # never read
    # rows of unknown size (and no caller shows them): nothing says the samples cost anything
    "def mc(inputs):\n    s = [model(inputs, training=True) for _ in range(20)]\n"
    "    return np.mean(s, axis=0), np.std(s, axis=0)\n",
])
def test_retained_samples_silent_when_the_samples_are_needed(codes, body):
    assert "TFB204" not in codes(PRELUDE + body)


def test_retained_samples_deterministic_model_is_not_sampling(codes):
    source = PRELUDE + ("plain = keras.Sequential([keras.layers.Dense(4)])\n"
                        "s = [plain(x_big) for _ in range(20)]\nm = np.mean(s, axis=0)\n")
    assert "TFB204" not in codes(source)


def test_retained_samples_message_sizes_the_samples(lint):
    source = PRELUDE + "s = [model(x_big, training=True) for _ in range(100)]\nm = np.mean(s, axis=0)\n"
    (finding,) = only(lint(source, min_retained_mib=0), "TFB204")
    assert "`s`" in finding.message and "Welford" in finding.message
    assert "100 samples x 10,000 rows x 10 outputs x 4 bytes = 38 MiB" in finding.message
    assert finding.fix is None
    assert not only(lint(source), "TFB204")  # 38 MiB: under the default of 100 MiB, not worth a finding
    assert only(lint(source.replace("range(100)", "range(300)")), "TFB204")  # 114 MiB


def test_retained_samples_unknown_sizes_stay_symbolic(lint):
    source = PRELUDE + ("def mc(inputs, T):\n    s = [model(inputs, training=True) for _ in range(T)]\n"
                        "    return np.mean(s, axis=0)\n")
    assert not only(lint(source), "TFB204")  # neither the samples nor the rows are known to cost anything
    source += "mc(x_big, 300)\n"
    (finding,) = only(lint(source), "TFB204")
    assert "300 samples x 10,000 rows x 10 outputs" in finding.message


def test_retained_samples_of_a_file_of_unknown_size_are_costed_at_the_loaded_ceiling(lint):
    """A full read of unknown size keeps T x 1,000,000 rows x outputs at most: 20 one-output samples of it (76 MiB)
    stay under min-retained-mib, ten outputs (763 MiB) do not."""
    source = PRELUDE + ("import pandas as pd\nx_file = pd.read_csv('data.csv').values\n"
                        "s = [model(x_file, training=True) for _ in range(20)]\nm = np.mean(s, axis=0)\n")
    quiet_passes = functools.partial(lint, min_activation_mib=1_000_000)  # else TFB201 says it at the same call
    assert only(quiet_passes(source), "TFB204")
    one_output = source.replace("keras.layers.Dense(10)", "keras.layers.Dense(1)")
    assert one_output != source and not only(quiet_passes(one_output), "TFB204")


def test_retained_samples_and_unbatched_sampling_at_one_call_make_one_finding(lint):
    source = PRELUDE + "s = [model(x_big, training=True) for _ in range(20)]\nm = np.mean(s, axis=0)\n"
    (finding,) = lint(source, min_activation_mib=0, min_retained_mib=0)
    assert finding.code == "TFB201"  # activations per pass, and the outputs across passes, said in one message
    assert "`s` keeps every sample (20 samples x 10,000 rows x 10 outputs" in finding.message


# -- TFB205 mc-with-batchnorm ------------------------------------------------------------------------------------
def test_batchnorm_message_explains_the_drift_and_the_safe_form(lint):
    (finding,) = lint(PRELUDE + "s = [bn_model(x, training=True) for _ in range(50)]\n")
    assert finding.code == "TFB205" and finding.fix is None
    assert "39%" in finding.message and "batch mates" in finding.message
    assert "class MCDropout(keras.layers.Dropout)" in finding.message and "training=True" in finding.message


@pytest.mark.parametrize("body", [
    "s = []\nfor _ in range(10):\n    s.append(keras.applications.ResNet50(weights=None)(x, training=True))\n",
    "net = keras.applications.MobileNetV2(weights=None)\ns = [net(x, training=True) for _ in trange(10)]\n",
    "from tf_keras.layers import BatchNormalization as BN, Dense, Dropout\n"
    "m = keras.Sequential([Dense(8), BN(), Dropout(0.2)])\ns = [m(x, training=True) for _ in range(10)]\n",
])
def test_batchnorm_positive_forms(codes, body):
    assert codes(PRELUDE + body).count("TFB205") == 1


@pytest.mark.parametrize("body", [
    "s = [bn_model(x, training=False) for _ in range(10)]\n",
    "s = [bn_model(x, training=flag) for _ in range(10)]\n",
    "s = [model(x, training=True) for _ in range(10)]\n",  # no BatchNormalization
    "for xb in batches:\n    out.append(bn_model(xb, training=True))\n",  # over data, not samples
    "for _ in range(10):\n    bn_model.fit(x, y)\n    hist.append(bn_model(x, training=True))\n",  # training loop
    "out = bn_model(x, training=True)\n",  # one pass
    "loaded = keras.models.load_model('m.keras')\ns = [loaded(x, training=True) for _ in range(10)]\n",  # unseen
])
def test_batchnorm_silent(codes, body):
    assert "TFB205" not in codes(PRELUDE + body)


def test_a_training_step_repeated_by_its_caller_is_not_sampling(codes):
    """A GAN's critic steps: `for k in range(5): losses[k] = train_critic(batch)` repeats the call unchanged and
    keeps each result, but the callee takes a gradient and applies it: the passes in it train."""
    step = ("opt = keras.optimizers.Adam()\n"
            "def train_critic(batch):\n"
            "    with tf.GradientTape() as tape:\n"
            "        loss = tf.reduce_mean(bn_model(batch, training=True))\n"
            "    grads = tape.gradient(loss, bn_model.trainable_variables)\n"
            "    opt.apply_gradients(zip(grads, bn_model.trainable_variables))\n"
            "    return loss\n"
            "losses = np.zeros(5)\nfor k in range(5):\n    losses[k] = train_critic(x)\n")
    assert "TFB205" not in codes(PRELUDE + step)
    # the same shape whose callee only predicts is Monte Carlo sampling
    sample = ("def draw(batch):\n    return bn_model(batch, training=True)\n"
              "samples = np.zeros((5, 256, 1))\nfor k in range(5):\n    samples[k] = draw(x)\n")
    assert codes(PRELUDE + sample).count("TFB205") == 1


def test_batchnorm_and_unbatched_sampling_are_different_problems(codes):
    source = PRELUDE + "s = [bn_model(x_big, training=True) for _ in range(10)]\n"
    assert sorted(codes(source, min_activation_mib=0)) == ["TFB201", "TFB205"]


# -- TFB206 vectorized-map-mc ------------------------------------------------------------------------------------
@pytest.mark.parametrize("body", [
    "from tensorflow import vectorized_map as vmap\ns = vmap(lambda _: model(x, training=True), tf.range(8))\n",
    "draw = lambda t: model(x, training=True)\ns = tf.vectorized_map(draw, tf.range(8))\n",
    "def draw(t):\n    tf.random.set_seed(t)\n    return model(x, training=True)\n\n"
    "s = tf.vectorized_map(fn=draw, elems=tf.range(8))\n",
    "s = tf.vectorized_map(lambda _: bn_model(x, training=True), tf.zeros(8))\n",
])
def test_vectorized_map_positive_forms(codes, body):
    assert codes(PRELUDE + body).count("TFB206") == 1


def test_vectorized_map_message_counts_samples(lint):
    (finding,) = lint(PRELUDE + "s = tf.vectorized_map(lambda _: model(x, training=True), tf.range(64))\n")
    assert finding.code == "TFB206" and "64 Monte Carlo samples" in finding.message
    assert "identical" in finding.message and "tf.map_fn" in finding.message


@pytest.mark.parametrize("body", [
    "s = tf.map_fn(lambda _: model(x, training=True), tf.range(8), fn_output_signature=tf.float32)\n",
    "s = tf.vectorized_map(lambda row: model(row[None], training=True), x)\n",
    "s = tf.vectorized_map(lambda _: model(x), tf.range(8))\n",  # inference mode: deterministic
    "import functools\ns = tf.vectorized_map(functools.partial(run, model), tf.range(8))\n",
    "def vectorized_map(f, e):\n    return [f(i) for i in e]\n"
    "s = vectorized_map(lambda _: model(x, training=True), range(8))\n",  # not TensorFlow's
])
def test_vectorized_map_silent(codes, body):
    assert "TFB206" not in codes(PRELUDE + body)


# -- a model loaded from disk, sampled: its layers are unknown, the loop says each pass draws ----------------------

LOADED = """
import numpy as np
import pandas as pd
import tensorflow as tf

model = tf.keras.models.load_model("mc_dropout_model")
frame = pd.read_csv("series.csv")


def windows(data, length):
    found = list()
    for i in range(len(data)):
        if i + length >= len(data):
            break
        found.append(data[i:i + length, :])
    return np.array(found)
"""


@pytest.mark.parametrize("body", [
    "draws = [model(frame.values) for _ in range(100)]\n",
    "draws = [model(windows(frame.values, 52)) for _ in range(100)]\n",  # one window per row of the CSV
    "def predict_distribution(x, m, n):\n    return np.hstack([m(x) for _ in range(n)])\n\n"
    "spread = predict_distribution(windows(frame.values, 52), model, 100)\n",
])
def test_a_loaded_model_sampled_over_a_full_read_is_mc_sampling(codes, body):
    assert codes(LOADED + body) == ["TFB201"]


@pytest.mark.parametrize("body", [
    "draws = [model(frame.values, training=False) for _ in range(100)]\n",  # inference: nothing draws
    "draws = [model(frame.values[:64]) for _ in range(100)]\n",  # one batch
    "draws = [model(windows(np.zeros((300, 4)), 52)) for _ in range(100)]\n",  # 300 rows, 248 windows
    "first = model(frame.values[:1])\n",
])
def test_a_loaded_model_is_not_sampling_in_full_otherwise(codes, body):
    assert "TFB201" not in codes(LOADED + body)


def test_windows_over_a_full_read_are_as_many_as_its_rows(codes):
    # not repeated: one full pass over every window
    assert codes(LOADED + "out = model(windows(frame.values, 52))\n") == ["TFB101"]
