import tensorflow as tf
from tensorflow.keras import layers


def build_mc_model(n_features):
    inputs = tf.keras.Input(shape=(n_features,))
    x = layers.Dense(1024, activation="relu")(inputs)
    x = layers.Dropout(0.5)(x)
    x = layers.Dense(1024, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(1)(x)
    return tf.keras.Model(inputs, outputs)
