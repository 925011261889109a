"""TFB201 -> batching helper (safe): tf_keras MC dropout over a whole array, samples stacked, mean and std read."""
# fixeq: expects TFB201
import numpy as np
import tf_keras as keras

from result_recorder import record_samples

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(8,)), keras.layers.Dropout(0.3),
                          keras.layers.Dense(2)])
samples = np.stack([model(x, training=True).numpy() for _ in range(25)])
record_samples("samples", samples)
