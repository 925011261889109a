"""TFB103 -> stop_recording: a tf_keras subclassed model; a probe pass inside the tape, then one SGD step."""
# fixeq: expects TFB103
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="tanh")
        self.out = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        return self.out(self.hidden(inputs))


x = np.random.rand(48, 5).astype("float32")
y = np.random.rand(48, 1).astype("float32")
probe_rows = np.random.rand(16, 5).astype("float32")
model = Net()
model(x[:1])
optimizer = keras.optimizers.SGD(0.05)
for epoch in range(2):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
        probe = model(probe_rows)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
record("probe", probe)
record("loss", loss)
record("weights", model.get_weights())
