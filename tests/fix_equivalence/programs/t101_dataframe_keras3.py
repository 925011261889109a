"""TFB101 on a pandas DataFrame read from CSV, called directly by an `import keras` model (Keras 3 accepts it)."""
# fixeq: expects TFB101
import numpy as np

from result_recorder import record, require

require("pandas")
import keras  # noqa: E402
import pandas as pd  # noqa: E402

pd.DataFrame(np.random.rand(1000, 4), columns=list("abcd")).to_csv("table.csv", index=False)
frame = pd.read_csv("table.csv", dtype="float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(1)])
scores = model(frame)
record("scores", scores)
