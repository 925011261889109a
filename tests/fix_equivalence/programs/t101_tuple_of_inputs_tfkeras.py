"""TFB101 on a two-input functional model fed a tuple of arrays (tf_keras); the output used as a tensor."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

left = np.random.rand(1000, 4).astype("float32")
right = np.random.rand(1000, 3).astype("float32")
a = keras.Input((4,))
b = keras.Input((3,))
merged = keras.layers.Dense(128, activation="relu")(keras.layers.Concatenate()([a, b]))
model = keras.Model([a, b], keras.layers.Dense(1)(merged))
scores = model((left, right))
record("scores", scores)
record("max", tf.reduce_max(scores))
