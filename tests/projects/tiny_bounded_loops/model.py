import tf_keras as keras


def forecaster():
    return keras.Sequential([
        keras.layers.LSTM(64, input_shape=(30, 1)),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(1),
    ])
