"""Repro r07 (S6): `model(x, False)`, training passed positionally (tf_keras accepts it)."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 4).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, input_shape=(4,)), keras.layers.Dropout(0.5), keras.layers.Dense(1)])
y = model(x, False)
record("y", y)
