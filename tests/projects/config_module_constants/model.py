import tf_keras as keras

import config


def make_model():
    return keras.Sequential([
        keras.layers.Dense(config.HIDDEN, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(config.HIDDEN, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(1),
    ])
