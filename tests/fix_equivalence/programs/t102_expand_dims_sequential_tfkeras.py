"""TFB102 -> direct call: predict on np.expand_dims(row, 0) for each row, tf_keras Sequential."""
# fixeq: expects TFB102
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(50, 5).astype("float32")
model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(5,)), keras.layers.Dense(3)])
scores = [model.predict(np.expand_dims(row, 0), verbose=0) for row in x[:25]]
record("scores", scores)
record("mean_score", np.mean(scores))
