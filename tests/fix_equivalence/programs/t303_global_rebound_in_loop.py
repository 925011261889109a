"""TFB303 (S7): a call in the loop rebinds a global that the tf.function created in the loop reads."""
# fixeq: expects TFB303
import tensorflow as tf

from result_recorder import record

scale = 1.0


def anneal(step):
    global scale
    scale = 1.0 / (step + 1)


values = tf.range(6, dtype=tf.float32)
results = []
for step in range(4):
    anneal(step)
    scaled = tf.function(lambda t: tf.reduce_sum(t) * scale)
    results.append(float(scaled(values)))
record("results", results)
