from tensorflow import keras


def policy_network(n_states, n_actions):
    return keras.Sequential([
        keras.Input(shape=(n_states,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(n_actions, activation="softmax"),
    ])
