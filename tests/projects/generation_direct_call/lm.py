from tensorflow import keras


def word_model(vocab_size, seq_len):
    return keras.Sequential([
        keras.Input(shape=(seq_len,)),
        keras.layers.Embedding(vocab_size, 128),
        keras.layers.GRU(256),
        keras.layers.Dense(vocab_size),
    ])
