"""TFB101 -> batching helper (Keras 3): `import keras` functional model, training=False, output fed to a loss."""
# fixeq: expects TFB101
import numpy as np
import keras

from result_recorder import record

x = np.random.rand(1000, 6).astype("float32")
labels = (np.random.rand(1000, 1) > 0.5).astype("float32")
inputs = keras.Input((6,))
hidden = keras.layers.Dense(128, activation="relu")(inputs)
model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))
probabilities = model(x, training=False)
loss = np.mean(keras.losses.binary_crossentropy(labels, probabilities))
record("probabilities", probabilities)
record("loss", loss)
