import tf_keras as keras


def mc_dropout_mlp():
    return keras.Sequential([
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(1),
    ])
