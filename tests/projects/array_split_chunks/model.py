import tf_keras as keras


def wide_model():
    return keras.Sequential([
        keras.layers.Dense(4096, activation="relu"),
        keras.layers.Dense(8),
    ])
