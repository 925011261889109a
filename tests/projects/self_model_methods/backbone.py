from tensorflow import keras


def make_backbone(input_dim):
    inputs = keras.Input(shape=(input_dim,))
    hidden = keras.layers.Dense(4096, activation="relu")(inputs)
    outputs = keras.layers.Dense(1, activation="sigmoid")(hidden)
    return keras.Model(inputs, outputs)
