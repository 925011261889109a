"""TFB302 -> reduce_retracing=True added to a `tf.function(f, jit_compile=False)` call, prefixes of growing length."""
# fixeq: expects TFB302
import numpy as np
import tensorflow as tf

from result_recorder import record

x = np.random.rand(300, 4).astype("float32")
fast = tf.function(tf.reduce_sum, jit_compile=False)
sums = []
for n in [10, 50, 90, 130]:
    sums.append(fast(x[:n]))
record("sums", sums)
