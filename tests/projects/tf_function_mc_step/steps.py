import tensorflow as tf


def make_mc_step(model):
    @tf.function
    def mc_step(x):
        return model(x, training=True)
    return mc_step
