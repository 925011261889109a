"""TFB102 -> direct call: predict on one DataFrame row per iteration with a Keras 3 model (tf.keras)."""
# fixeq: expects TFB102
import numpy as np

from result_recorder import record, require

require("pandas")
import pandas as pd  # noqa: E402
from tensorflow import keras  # noqa: E402

frame = pd.DataFrame(np.random.rand(40, 3).astype("float32"), columns=["x", "y", "z"])
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)])
predictions = [float(model.predict(frame.iloc[i:i + 1], verbose=0)[0, 0]) for i in range(20)]
record("predictions", predictions)
