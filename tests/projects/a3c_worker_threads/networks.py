from tensorflow import keras


def actor_network(state_size, action_size):
    inputs = keras.Input(shape=(state_size,))
    hidden = keras.layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, keras.layers.Dense(action_size, activation="softmax")(hidden))
