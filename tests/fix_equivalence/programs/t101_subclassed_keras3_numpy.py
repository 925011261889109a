"""TFB101 on an `import keras` subclassed model read with .numpy()."""
# fixeq: expects TFB101
import numpy as np
import keras

from result_recorder import record


class Encoder(keras.Model):
    def __init__(self):
        super().__init__()
        self.first = keras.layers.Dense(128, activation="relu")
        self.second = keras.layers.Dense(8)

    def call(self, inputs):
        return self.second(self.first(inputs))


x = np.random.rand(1000, 12).astype("float32")
model = Encoder()
codes = model(x).numpy()
record("codes", codes)
record("spread", float(np.std(codes)))
