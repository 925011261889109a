"""Repro r02 (S1): MC dropout sampled at one rate, then the Dropout rate changes and the model is sampled again."""
# fixeq: expects TFB201
import numpy as np
from tensorflow import keras

from result_recorder import record_samples

x = np.random.rand(1000, 4).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(128), keras.layers.Dropout(0.1),
                          keras.layers.Dense(1)])
for rate in (0.1, 0.8):
    model.layers[1].rate = rate
    samples = np.stack([model(x, training=True).numpy() for _ in range(20)])
    record_samples(f"rate {rate}", samples)
