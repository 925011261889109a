"""Repro r08 (S7): a tf.function made in a loop captures an array that a call in the loop changes in place."""
# fixeq: expects TFB303
import numpy as np
import tensorflow as tf

from result_recorder import record

weights = np.ones(3, dtype="float32")


def reweight(epoch):
    weights[0] = epoch + 1.0


z = tf.ones((4, 3))
scores = []
for epoch in range(3):
    reweight(epoch)
    scorer = tf.function(lambda t: tf.reduce_sum(t * weights))
    scores.append(float(scorer(z)))
record("scores", scores)
