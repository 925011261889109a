"""Repro r06 (S5): predict on single DataFrame rows in a loop with tf_keras, whose direct call rejects DataFrames."""
# fixeq: expects TFB102
import numpy as np

from result_recorder import record, require

require("pandas")
import pandas as pd  # noqa: E402
import tf_keras as keras  # noqa: E402

pd.DataFrame(np.random.rand(40, 4), columns=list("pqrs")).to_csv("rows.csv", index=False)
frame = pd.read_csv("rows.csv", dtype="float32")
model = keras.Sequential([keras.layers.Dense(8, input_shape=(4,)), keras.layers.Dense(1)])
predictions = [model.predict(frame.iloc[i:i + 1], verbose=0)[0, 0] for i in range(20)]
record("predictions", predictions)
