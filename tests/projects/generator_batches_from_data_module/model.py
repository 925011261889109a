import tf_keras as keras


def embedder():
    return keras.Sequential([keras.layers.Dense(3072, activation="relu"), keras.layers.Dense(128)])
