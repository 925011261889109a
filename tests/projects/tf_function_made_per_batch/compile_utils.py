import tensorflow as tf


def compiled_forward(model):
    return tf.function(model)
