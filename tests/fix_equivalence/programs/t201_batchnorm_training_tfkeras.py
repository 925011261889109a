"""TFB201 (unsafe: BatchNormalization in training mode uses each batch's statistics) and TFB205, tf_keras."""
# fixeq: expects TFB201 TFB205
import numpy as np
import tf_keras as keras

from result_recorder import record_samples

x = np.random.rand(1000, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, input_shape=(8,)), keras.layers.BatchNormalization(),
                          keras.layers.Dropout(0.3), keras.layers.Dense(1)])
samples = [model(x, training=True).numpy() for _ in range(10)]
record_samples("samples", samples)
