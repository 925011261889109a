import tensorflow as tf


def load_embedder():
    return tf.keras.models.load_model("embedder.keras")
