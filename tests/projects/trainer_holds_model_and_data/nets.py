from tensorflow import keras


def wide_mlp(n_classes):
    return keras.Sequential([
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dense(n_classes),
    ])
