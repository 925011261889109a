"""TFB501 -> tf_keras (safe): a `from tensorflow import keras` Sequential with a custom `keras.Layer` and a tfp
layer; the Keras 3 spelling `keras.Layer` must move too."""
# fixeq: expects TFB501
# fixeq: original-fails
import numpy as np
import tensorflow_probability as tfp
from tensorflow import keras

from result_recorder import record


class Halve(keras.Layer):
    def call(self, x):
        return x * 0.5


model = keras.Sequential([keras.Input((3,)), Halve(), tfp.layers.DenseFlipout(2)])
record("out", model(np.ones((4, 3), dtype="float32")), values=False)
