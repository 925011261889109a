"""TFB401 -> clear_session() in a trial function (unsafe), `import keras`, called once per trial by a loop."""
# fixeq: expects TFB401
# fixeq: isolated
import numpy as np
import keras

from result_recorder import record

x = np.random.rand(32, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)


def objective(units):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model.evaluate(x, y, verbose=0)


losses = []
for trial in range(12):
    losses.append(objective(4 + trial))
record("trials", len(losses))
record("finite", bool(np.all(np.isfinite(losses))))
