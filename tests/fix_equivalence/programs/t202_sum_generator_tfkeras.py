"""TFB202 -> training=True (unsafe): a plain `model(x)` averaged over a generator of 10 samples, tf_keras."""
# fixeq: expects TFB202
import numpy as np
import tf_keras as keras

from result_recorder import record

x_val = np.random.rand(50, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(32, activation="relu", input_shape=(8,)), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
mean = sum(model(x_val) for _ in range(10)) / 10
record("mean", mean, values=False)
