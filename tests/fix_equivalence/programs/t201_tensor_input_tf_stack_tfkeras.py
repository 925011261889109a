"""TFB201 -> batching helper: a tensor input, samples stacked with tf.stack and reduced with tf.math (tf_keras)."""
# fixeq: expects TFB201
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record, record_samples

x = tf.constant(np.random.rand(1000, 8).astype("float32"))
model = keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(8,)), keras.layers.Dropout(0.3),
                          keras.layers.Dense(3, activation="softmax")])
stacked = tf.stack([model(x, training=True) for _ in range(20)])
record_samples("stacked", stacked)
record("entropy_shape", tf.reduce_sum(-tf.reduce_mean(stacked, 0) * tf.math.log(tf.reduce_mean(stacked, 0)), -1).shape)
