"""TFB302 -> reduce_retracing=True on a bare @tf.function summed over prefixes of growing length."""
# fixeq: expects TFB302
import numpy as np
import tensorflow as tf

from result_recorder import record

x = np.random.rand(64, 4).astype("float32")


@tf.function
def column_totals(batch):
    return tf.reduce_sum(batch, axis=0)


totals = []
for i in range(1, 12):
    totals.append(column_totals(x[:i]))
record("totals", totals)
