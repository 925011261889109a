"""TFB101 -> batching helper (safe): BatchNormalization in inference mode uses its moving statistics, not the
batch's, so batches give the same rows."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, input_shape=(8,)), keras.layers.BatchNormalization(),
                          keras.layers.Dense(1)])
model.layers[1].moving_mean.assign(np.full(128, 0.3, dtype="float32"))
normalised = model(x, training=False)
record("normalised", normalised)
