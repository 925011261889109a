"""Repro r11: a tf.function that divides by `batch.shape[0]`, called on slices of growing length."""
# fixeq: expects TFB302
import numpy as np
import tensorflow as tf

from result_recorder import record

x = np.random.rand(100, 8).astype("float32")


@tf.function
def batch_mean(batch):
    return tf.reduce_sum(batch, axis=0) / batch.shape[0]


record("means", [float(batch_mean(x[:n])[0]) for n in range(10, 60, 10)])
