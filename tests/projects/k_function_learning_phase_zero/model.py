from tensorflow import keras


def dropout_net(n_features):
    inputs = keras.Input(shape=(n_features,))
    hidden = keras.layers.Dropout(0.5)(keras.layers.Dense(256, activation="relu")(inputs))
    return keras.Model(inputs, keras.layers.Dense(1)(hidden))
