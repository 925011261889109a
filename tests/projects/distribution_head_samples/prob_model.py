import tf_keras as keras
import tensorflow_probability as tfp

tfd = tfp.distributions


def gaussian_head_model(n_features):
    return keras.Sequential([
        keras.Input(shape=(n_features,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(2),
        tfp.layers.DistributionLambda(
            lambda t: tfd.Normal(loc=t[..., :1], scale=1e-3 + keras.backend.softplus(t[..., 1:]))),
    ])
