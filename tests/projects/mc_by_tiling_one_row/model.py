import tf_keras as keras
import tensorflow_probability as tfp


def flipout_classifier():
    return keras.Sequential([
        keras.layers.Flatten(input_shape=(32, 32, 3)),
        tfp.layers.DenseFlipout(256, activation="relu"),
        tfp.layers.DenseFlipout(10, activation="softmax"),
    ])
