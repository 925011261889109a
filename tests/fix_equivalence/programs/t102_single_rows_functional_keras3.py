"""TFB102 -> direct call: `import keras` functional model, predict on one row per iteration, np.mean of the rows."""
# fixeq: expects TFB102
import numpy as np
import keras

from result_recorder import record

x = np.random.rand(50, 6).astype("float32")
inputs = keras.Input((6,))
model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Dense(16, activation="relu")(inputs)))
rows = []
for i in range(30):
    rows.append(model.predict(x[i:i + 1], verbose=0))
record("rows", rows)
record("average", np.mean(rows, axis=0))
