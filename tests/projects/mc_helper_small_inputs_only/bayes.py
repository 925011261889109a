import tf_keras as keras
import tensorflow_probability as tfp


def bayesian_mlp(n_features):
    return keras.Sequential([
        keras.Input(shape=(n_features,)),
        tfp.layers.DenseFlipout(1024, activation="relu"),
        tfp.layers.DenseFlipout(1),
    ])
