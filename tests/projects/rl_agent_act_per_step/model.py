from tensorflow import keras


def build_q_network(state_size, action_size):
    model = keras.Sequential([
        keras.Input(shape=(state_size,)),
        keras.layers.Dense(24, activation="relu"),
        keras.layers.Dense(24, activation="relu"),
        keras.layers.Dense(action_size, activation="linear"),
    ])
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate=0.001))
    return model
