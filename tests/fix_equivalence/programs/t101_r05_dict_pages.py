"""Repro r05 (S4): `model(features)[i:j]` in a loop where `features` is a dict of named inputs."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

features = {"a": np.random.rand(1000, 3).astype("float32"), "b": np.random.rand(1000, 2).astype("float32")}
a = keras.Input((3,), name="a")
b = keras.Input((2,), name="b")
hidden = keras.layers.Dense(128, activation="relu")(keras.layers.Concatenate()([a, b]))
model = keras.Model({"a": a, "b": b}, keras.layers.Dense(1)(hidden))
pages = [model(features)[i:i + 250] for i in range(0, 1000, 250)]
record("pages", pages)
