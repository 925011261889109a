"""TFB501 -> tf_keras (safe): a `tf.keras.Model` subclass holding a tfp DenseReparameterization layer."""
# fixeq: expects TFB501
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from result_recorder import record


class Bayesian(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = tfp.layers.DenseReparameterization(4)

    def call(self, x):
        return self.hidden(x)


record("out", Bayesian()(np.ones((2, 3), dtype="float32")), values=False)
