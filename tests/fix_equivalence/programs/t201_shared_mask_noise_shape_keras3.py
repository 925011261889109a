"""TFB201 (unsafe: a noise_shape of 1 row shares one dropout mask across all rows), tf.keras (Keras 3)."""
# fixeq: expects TFB201
import numpy as np
from tensorflow import keras

from result_recorder import record_samples

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(128, activation="relu"),
                          keras.layers.Dropout(0.3, noise_shape=(1, 128)), keras.layers.Dense(1)])
samples = np.stack([model(x, training=True) for _ in range(20)])
record_samples("samples", samples)
