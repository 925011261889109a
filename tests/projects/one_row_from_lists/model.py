import tensorflow as tf


def load_ranker():
    return tf.keras.models.load_model("ranker.keras")
