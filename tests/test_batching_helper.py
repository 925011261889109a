"""The `_batched_forward` helper that `--fix` inserts, run for real (TensorFlow, in a subprocess per Keras flavour):
it computes what one call on all rows computes after the model changes (pop, a swapped activation, a new Dropout
rate), leaves eager values in `model.losses`, slices dicts of inputs per entry, joins several outputs, and keeps
only a few graphs per model."""

import os
import subprocess
import sys
import textwrap

import pytest

from tflint_bnn.fixes.batching import helper_source

pytestmark = pytest.mark.validate
pytest.importorskip("tensorflow")

CHECKS = """
import numpy as np
import tensorflow as tf

x = np.random.default_rng(0).random((1100, 4)).astype("float32")  # 5 batches of 256: 3 run traced


def same(a, b):
    return all(np.allclose(p, q, atol=1e-5) for p, q in zip(tf.nest.flatten(a), tf.nest.flatten(b)))


def graphs(model):
    return len(_batched_forward.__dict__.get("graphs", {}).get(model, []))


model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8), keras.layers.Dense(3)])
assert same(_batched_forward(model, x, 256), model(x))
assert same(_batched_forward(model, x, 256), model(x)) and graphs(model) == TRACED, "the graph is reused"
model.pop()
popped = _batched_forward(model, x, 256)
assert popped.shape == (1100, 8) and same(popped, model(x)), "a graph traced before pop() is not used after it"
model.layers[0].activation = keras.activations.relu
assert same(_batched_forward(model, x, 256), model(x)), "a swapped activation is seen"
assert graphs(model) == 3 * TRACED
model.layers[0].hook = np.tanh  # a ufunc takes no weak reference: no graph is tied to it, every batch runs eagerly
assert same(_batched_forward(model, x, 256), model(x)) and graphs(model) == 3 * TRACED

noisy = keras.Sequential([keras.Input((4,)), keras.layers.Dense(64), keras.layers.Dropout(0.1), keras.layers.Dense(1)])
for rate in (0.1, 0.9, 0.1, 0.5, 0.7):
    noisy.layers[1].rate = rate
    batched = np.stack([np.asarray(_batched_forward(noisy, x, 256, training=True)) for _ in range(10)]).std(0).mean()
    whole = np.stack([np.asarray(noisy(x, training=True)) for _ in range(10)]).std(0).mean()
    assert abs(batched - whole) < 0.25 * whole, (rate, batched, whole)
assert graphs(noisy) <= 4, "a few graphs per model"

penalised = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activity_regularizer=keras.regularizers.L1(1e-2))])
_batched_forward(penalised, x, 256, training=False)
assert penalised.losses and all(hasattr(loss, "numpy") for loss in penalised.losses), "eager values in model.losses"
float(tf.add_n(penalised.losses))

a, b = keras.Input((3,), name="a"), keras.Input((1,), name="b")
joined = keras.layers.Concatenate()([a, b])
forked = keras.Model({"a": a, "b": b}, [keras.layers.Dense(2)(joined), keras.layers.Dense(1)(joined)])
feed = {"a": x[:, :3], "b": x[:, 3:]}
both = _batched_forward(forked, feed, 256)
assert isinstance(both, list) and [t.shape[0] for t in both] == [1100, 1100] and same(both, forked(feed))
assert same(_batched_forward(forked, feed, 2000), forked(feed)), "one batch: plain call"
print("OK")
"""
FLAVOURS = {
    "tf_keras": ("import tf_keras as keras", "tensorflow", 1),
    "tf.keras": ("from tensorflow import keras", "tensorflow", 1),
    "keras": ("import keras", "keras3", 1),
}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_helper_follows_model_changes_and_input_structure(flavour, tmp_path):
    if flavour == "tf_keras":
        pytest.importorskip("tf_keras")
    imports, helper, traced = FLAVOURS[flavour]
    program = tmp_path / "helper_checks.py"
    program.write_text(imports + "\n" + helper_source(helper) + f"\nTRACED = {traced}\n" + textwrap.dedent(CHECKS))
    done = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stderr[-3000:]
