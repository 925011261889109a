import tf_keras as keras


def autoencoder(n_features):
    return keras.Sequential([
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dense(n_features),
    ])
