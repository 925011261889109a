"""TFB401 -> tf.keras.backend.clear_session() (unsafe): `tf.keras.Sequential` built per width, a model kept from
before the loop is used after it."""
# fixeq: expects TFB401
# fixeq: isolated
import numpy as np
import tensorflow as tf

from result_recorder import record

x = np.random.rand(16, 4).astype("float32")
baseline = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
reference = baseline(x)
widths = []
for width in range(2, 14):
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(width), tf.keras.layers.Dense(1)])
    widths.append(model.count_params())
record("widths", widths)
record("baseline_again", baseline(x) - reference)
