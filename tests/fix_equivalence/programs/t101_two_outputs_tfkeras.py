"""TFB101 -> batching helper: a tf_keras functional model with two outputs, the list of tensors kept."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 6).astype("float32")
inputs = keras.Input((6,))
hidden = keras.layers.Dense(128, activation="relu")(inputs)
model = keras.Model(inputs, [keras.layers.Dense(1)(hidden), keras.layers.Dense(3, activation="softmax")(hidden)])
value, policy = model(x, training=False)
record("value", value)
record("policy", policy)
