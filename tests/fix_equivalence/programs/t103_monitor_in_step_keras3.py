"""TFB103 -> stop_recording: a train step (`import keras`) samples monitoring passes inside its tape."""
# fixeq: expects TFB103
import numpy as np
import keras
import tensorflow as tf

from result_recorder import record

x_train = np.random.rand(64, 8).astype("float32")
y_train = np.random.rand(64, 1).astype("float32")
x_val = np.random.rand(32, 8).astype("float32")
inputs = keras.Input((8,))
model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Dense(16, activation="relu")(inputs)))


def train_step(x, y):
    with tf.GradientTape() as tape:
        logits = model(x, training=True)
        loss = tf.reduce_mean(tf.square(logits - y))
        monitor = [model(x_val) for _ in range(3)]
    grads = tape.gradient(loss, model.trainable_variables)
    return grads, monitor


grads, monitor = train_step(x_train, y_train)
record("grads", grads)
record("monitor", monitor)
