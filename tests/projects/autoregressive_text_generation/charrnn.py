import tf_keras as keras


def char_model(maxlen, vocab_size):
    return keras.Sequential([
        keras.Input(shape=(maxlen, vocab_size)),
        keras.layers.LSTM(128),
        keras.layers.Dense(vocab_size, activation="softmax"),
    ])
