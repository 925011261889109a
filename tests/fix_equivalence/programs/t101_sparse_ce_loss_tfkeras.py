"""TFB101 inside a loss expression: a tf_keras model's whole-array output passed straight to a loss."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 10).astype("float64")
y = np.random.randint(0, 4, size=1000)
inputs = keras.Input((10,))
model = keras.Model(inputs, keras.layers.Dense(4)(keras.layers.Dense(128, activation="relu")(inputs)))
loss = tf.reduce_mean(keras.losses.sparse_categorical_crossentropy(y, model(x), from_logits=True))
record("loss", loss)
