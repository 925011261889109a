"""TFB101 -> slice the input (safe): `model(x)[i:i + 100]` inside a loop over i, tf_keras Sequential."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(8,)), keras.layers.Dense(2)])
chunks = []
for i in range(0, 1000, 100):
    chunk = model(x)[i:i + 100]
    chunks.append(chunk)
record("chunks", chunks)
