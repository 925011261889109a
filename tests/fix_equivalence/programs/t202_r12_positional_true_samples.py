"""Repro r12: tf_keras `model(x, True)` (training positionally) sampled T times: these samples already vary."""
import numpy as np
import tf_keras as keras

from result_recorder import record_samples

x = np.random.rand(400, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, input_shape=(8,)), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
samples = np.stack([model(x, True).numpy() for _ in range(20)])
record_samples("samples", samples)
