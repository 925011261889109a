"""TFB102 -> direct call: a tf_keras subclassed model, predict on tensor rows in a loop."""
# fixeq: expects TFB102
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record


class Scorer(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.head = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        return self.head(self.hidden(inputs))


rows = tf.constant(np.random.rand(30, 4).astype("float32"))
model = Scorer()
model(rows[:1])
outputs = []
for i in range(20):
    outputs.append(model.predict(tf.expand_dims(rows[i], 0), verbose=0))
record("outputs", outputs)
