"""TFB101 -> slice the input (safe): a tensor input, `import keras`, slices kept in a list comprehension."""
# fixeq: expects TFB101
import numpy as np
import keras
import tensorflow as tf

from result_recorder import record

x = tf.constant(np.random.rand(1000, 8).astype("float32"))
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(1)])
pieces = [model(x, training=False)[start:start + 200] for start in range(0, 1000, 200)]
record("pieces", pieces)
