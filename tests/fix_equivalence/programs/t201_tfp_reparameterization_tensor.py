"""TFB201 (unsafe: tfp draws one weight sample per call): DenseReparameterization on a tensor, averaged by sum()."""
# fixeq: expects TFB201
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
import tf_keras as keras

from result_recorder import record

x = tf.constant(np.random.rand(1000, 4).astype("float32"))
model = keras.Sequential([keras.Input((4,)), tfp.layers.DenseReparameterization(128, activation="relu"),
                          tfp.layers.DenseReparameterization(1)])
mean = sum(model(x) for _ in range(20)) / 20
record("mean", mean, values=False)
