"""TFB202 -> batched training-mode samples: a tf.keras (Keras 3) functional model sampled through predict on a
whole array, moments taken with np.mean / np.std."""
# fixeq: expects TFB202
import numpy as np
import tensorflow as tf

from result_recorder import record, record_samples

x = np.random.rand(1000, 6).astype("float32")
inputs = tf.keras.Input((6,))
hidden = tf.keras.layers.Dropout(0.3)(tf.keras.layers.Dense(128, activation="relu")(inputs))
model = tf.keras.Model(inputs, tf.keras.layers.Dense(2)(hidden))
draws = [model.predict(x, verbose=0) for _ in range(15)]
record_samples("draws", draws)
record("std_shape", np.std(draws, axis=0).shape)
