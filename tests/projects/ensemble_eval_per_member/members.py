from tensorflow import keras


def make_member(seed):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dense(1),
    ])
