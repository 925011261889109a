"""TFB201 -> batching helper: a tf_keras subclassed model with dropout, sampled with training=True."""
# fixeq: expects TFB201
import numpy as np
import tf_keras as keras

from result_recorder import record_samples


class Bayesish(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(128, activation="relu")
        self.drop = keras.layers.Dropout(0.5)
        self.out = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        return self.out(self.drop(self.hidden(inputs), training=training))


x = np.random.rand(1000, 4).astype("float32")
model = Bayesish()
samples = np.stack([model(x, training=True).numpy() for _ in range(20)])
record_samples("samples", samples)
