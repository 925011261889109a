from tensorflow import keras


def get_generator(latent_dim=100):
    return keras.Sequential([
        keras.Input((latent_dim,)),
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dense(64 * 64 * 3, activation="tanh"),
    ])
