"""TFB202 -> training=True (unsafe): `import keras`, a few rows sampled with training=False in a loop."""
# fixeq: expects TFB202
import numpy as np
import keras

from result_recorder import record_samples

x_val = np.random.rand(40, 8).astype("float32")
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(1)])
draws = []
for _ in range(20):
    draws.append(model(x_val, training=False))
record_samples("draws", draws)
