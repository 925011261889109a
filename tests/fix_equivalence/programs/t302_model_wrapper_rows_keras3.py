"""TFB302 -> reduce_retracing=True on `tf.function(model)` fed batches of different lengths (`import keras`)."""
# fixeq: expects TFB302
import numpy as np
import keras
import tensorflow as tf

from result_recorder import record

x = np.random.rand(200, 4).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
serve = tf.function(model)
outputs = [serve(x[:i]) for i in range(5, 40, 5)]
record("outputs", outputs)
