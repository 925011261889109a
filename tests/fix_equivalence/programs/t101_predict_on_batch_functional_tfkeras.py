"""TFB101 predict_on_batch -> predict: a tf_keras functional model on a float64 array."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1200, 10)
inputs = keras.Input((10,))
hidden = keras.layers.Dense(128, activation="tanh")(inputs)
model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
scores = model.predict_on_batch(x)
record("scores", scores)
record("confidence", float(np.max(scores, axis=1).mean()))
