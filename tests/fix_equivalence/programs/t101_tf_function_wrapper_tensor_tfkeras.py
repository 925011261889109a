"""TFB101 -> batching helper: `tf.function(model)` called on a whole tensor (tf_keras)."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

x = tf.constant(np.random.rand(1000, 10).astype("float32"))
model = keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(10,)), keras.layers.Dense(2)])
fast = tf.function(model)
logits = fast(x)
record("logits", logits)
record("softmax_mean", tf.reduce_mean(tf.nn.softmax(logits), axis=0))
