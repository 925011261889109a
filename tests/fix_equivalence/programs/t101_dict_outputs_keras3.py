"""TFB101 -> batching helper (Keras 3): a functional model with a dict of named outputs."""
# fixeq: expects TFB101
import numpy as np
import keras

from result_recorder import record

x = np.random.rand(1000, 6).astype("float32")
inputs = keras.Input((6,))
hidden = keras.layers.Dense(128, activation="relu")(inputs)
model = keras.Model(inputs, {"mean": keras.layers.Dense(1)(hidden), "scale": keras.layers.Dense(1)(hidden)})
heads = model(x)
record("heads", heads)
