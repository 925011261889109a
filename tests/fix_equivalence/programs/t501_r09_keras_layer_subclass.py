"""Repro r09 (S8): a Keras 3 subclassed model with a tfp layer and a custom `keras.Layer` (Keras 3 spelling)."""
# fixeq: expects TFB501
import tensorflow_probability as tfp
from tensorflow import keras

from result_recorder import record


class Scale(keras.Layer):
    def call(self, x):
        return x * 0.5


class Head(keras.Model):
    def __init__(self):
        super().__init__()
        self.scale = Scale()
        self.flip = tfp.layers.DenseFlipout(1)

    def call(self, x):
        return self.flip(self.scale(x))


record("out", Head()(keras.ops.ones((2, 3))), values=False)
