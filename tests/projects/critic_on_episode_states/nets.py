from tensorflow import keras


def critic_network(state_size):
    inputs = keras.Input(shape=(state_size,))
    hidden = keras.layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(1)(hidden))
