"""TFB101 -> batching helper (Keras 3 variant): `import keras`, a tensor input, the output used in a loss."""
# fixeq: expects TFB101
import numpy as np
import keras
import tensorflow as tf

from result_recorder import record

features = tf.constant(np.random.rand(1000, 12).astype("float32"))
targets = np.random.rand(1000, 1).astype("float32")
model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(1)])
predicted = model(features)
loss = keras.losses.MeanSquaredError()(targets, predicted)
record("predicted", predicted)
record("loss", loss)
