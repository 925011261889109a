import tensorflow as tf


@tf.function
def cumulative_error(predictions, targets):
    return tf.reduce_mean(tf.abs(predictions - targets))


@tf.function(reduce_retracing=True)
def cumulative_error_relaxed(predictions, targets):
    return tf.reduce_mean(tf.abs(predictions - targets))
