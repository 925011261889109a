"""Repro r04 (S3): a Lambda layer that divides by the maximum over the whole batch mixes rows."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
from tensorflow import keras

from result_recorder import record

x = np.random.rand(1000, 128).astype("float32")
model = keras.Sequential([keras.Input((128,)), keras.layers.Dense(128),
                          keras.layers.Lambda(lambda t: t / tf.reduce_max(t))])
scaled = model(x)
record("scaled", scaled)
record("total", float(tf.reduce_sum(scaled)))
