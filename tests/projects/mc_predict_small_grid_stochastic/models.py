import tf_keras as keras
import tensorflow_probability as tfp


def variational_regressor():
    return keras.Sequential([
        keras.Input(shape=(1,)),
        tfp.layers.DenseFlipout(100, activation="relu"),
        tfp.layers.DenseFlipout(1),
    ])


def always_on_dropout_regressor():
    inputs = keras.Input(shape=(1,))
    hidden = keras.layers.Dense(100, activation="relu")(inputs)
    hidden = keras.layers.Dropout(0.1)(hidden, training=True)
    return keras.Model(inputs, keras.layers.Dense(1)(hidden))
