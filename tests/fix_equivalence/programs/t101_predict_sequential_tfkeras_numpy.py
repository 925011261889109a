"""TFB101 -> predict: a tf.keras (Keras 3) Sequential model called on a whole array, read with .numpy()."""
# fixeq: expects TFB101
import numpy as np
from tensorflow import keras

from result_recorder import record

x = np.random.rand(1000, 16).astype("float32")
model = keras.Sequential([keras.Input((16,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(5)])
probs = model(x).numpy()
record("probs", probs)
record("mean", np.mean(probs))
record("labels", probs.argmax(axis=1))
