"""TFB202 -> batched training-mode samples (unsafe): MC dropout through predict on a whole array, tf_keras."""
# fixeq: expects TFB202
import numpy as np
import tf_keras as keras

from result_recorder import record, record_samples

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(8,)), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
samples = np.stack([model.predict(x, verbose=0) for _ in range(20)])
record_samples("samples", samples)
record("uncertainty_shape", samples.std(axis=0).shape)
