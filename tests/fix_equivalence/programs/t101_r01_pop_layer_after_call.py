"""Repro r01 (S1): the model changes (model.pop()) between two whole-array calls; the second must see the change."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(3)])
full = model(x)
model.pop()
features = model(x)
record("full", full)
record("features", features)
