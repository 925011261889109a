import tensorflow as tf


def build_classifier():
    inputs = tf.keras.Input(shape=(256,))
    hidden = tf.keras.layers.Dense(4096, activation="relu")(inputs)
    embedding = tf.keras.layers.Dense(512, activation="relu")(hidden)
    outputs = tf.keras.layers.Dense(20, activation="softmax")(embedding)
    return tf.keras.Model(inputs, outputs)
