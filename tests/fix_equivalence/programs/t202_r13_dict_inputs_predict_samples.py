"""Repro r13: MC dropout through predict on a model fed a dict of named inputs."""
# fixeq: expects TFB202
import numpy as np
import tf_keras as keras

from result_recorder import record_samples

inputs = {"a": np.random.rand(600, 3).astype("float32"), "b": np.random.rand(600, 2).astype("float32")}
a = keras.Input((3,), name="a")
b = keras.Input((2,), name="b")
hidden = keras.layers.Dropout(0.5)(keras.layers.Dense(128)(keras.layers.Concatenate()([a, b])))
model = keras.Model({"a": a, "b": b}, keras.layers.Dense(1)(hidden))
samples = np.stack([model.predict(inputs, verbose=0) for _ in range(10)])
record_samples("samples", samples)
