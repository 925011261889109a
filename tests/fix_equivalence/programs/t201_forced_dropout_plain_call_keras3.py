"""TFB201 on a Keras 3 functional model whose Dropout is built with training=True, sampled by a plain model(x)."""
# fixeq: expects TFB201
import numpy as np
import keras

from result_recorder import record_samples

x = np.random.rand(1000, 8).astype("float32")
inputs = keras.Input((8,))
hidden = keras.layers.Dropout(0.5)(keras.layers.Dense(128, activation="relu")(inputs), training=True)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
samples = np.stack([model(x).numpy() for _ in range(20)])
record_samples("samples", samples)
