"""TFB401 -> clear_session() (unsafe): tf_keras models built, fitted and scored on every iteration."""
# fixeq: expects TFB401
# fixeq: isolated
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(32, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)
scores = []
for trial in range(12):
    model = keras.Sequential([keras.layers.Dense(4, input_shape=(4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    scores.append(model.evaluate(x, y, verbose=0))
record("trials", len(scores))
record("finite", bool(np.all(np.isfinite(scores))))
