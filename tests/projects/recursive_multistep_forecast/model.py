from tensorflow import keras


def lstm_forecaster(n_steps):
    return keras.Sequential([
        keras.Input(shape=(n_steps, 1)),
        keras.layers.LSTM(50, activation="relu"),
        keras.layers.Dense(1),
    ])
