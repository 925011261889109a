"""TFB102 -> direct call: a `while` loop running predict on 32 rows at a time (tf.keras, Keras 3)."""
# fixeq: expects TFB102
import numpy as np
from tensorflow import keras

from result_recorder import record

x = np.random.rand(32, 6).astype("float32")
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)])
step = 0
totals = []
while step < 15:
    action = model.predict(x[:32], verbose=0)
    totals.append(float(action.sum()))
    step += 1
record("totals", totals)
record("last_action", action)
