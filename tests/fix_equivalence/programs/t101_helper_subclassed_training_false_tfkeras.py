"""TFB101 -> batching helper: a tf_keras subclassed model called with training=False, output kept as a tensor."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(128, activation="relu")
        self.drop = keras.layers.Dropout(0.3)
        self.out = keras.layers.Dense(2)

    def call(self, inputs, training=None):
        return self.out(self.drop(self.hidden(inputs), training=training))


x = np.random.rand(1100, 6).astype("float32")
model = Regressor()
y = model(x, training=False)
record("y", y)
record("row_norms", tf.norm(y, axis=1))
