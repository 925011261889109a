"""Repro r14 (S2): tfp DenseFlipout sampled T times, then its KL term read from model.losses."""
# fixeq: expects TFB201
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp
import tf_keras as keras

from result_recorder import record, record_samples

x = np.random.rand(1000, 4).astype("float32")
model = keras.Sequential([keras.Input((4,)), tfp.layers.DenseFlipout(128), tfp.layers.DenseFlipout(1)])
predictions = [model(x) for _ in range(20)]
record_samples("predictions", predictions)
record("kl", float(tf.add_n(model.losses)))
