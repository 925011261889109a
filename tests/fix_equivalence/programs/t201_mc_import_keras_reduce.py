"""TFB201 -> batching helper (Keras 3 variant): `import keras` MC dropout, moments with keras.ops."""
# fixeq: expects TFB201
import numpy as np
import keras

from result_recorder import record, record_samples

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dropout(0.4),
                          keras.layers.Dense(1)])
draws = [model(x, training=True) for _ in range(20)]
stacked = keras.ops.stack(draws)
record_samples("draws", draws)
record("mean_shape", keras.ops.mean(stacked, axis=0).shape)
