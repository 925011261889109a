import tf_keras as keras


def stateful_char_rnn(vocab_size):
    return keras.Sequential([
        keras.layers.Embedding(vocab_size, 64, batch_input_shape=(1, 1)),
        keras.layers.LSTM(256, stateful=True),
        keras.layers.Dense(vocab_size, activation="softmax"),
    ])
