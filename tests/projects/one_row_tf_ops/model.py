import tensorflow as tf


def load_digits_model():
    return tf.keras.models.load_model("digits.keras")
