import tf_keras as keras


def dropout_net():
    return keras.Sequential([
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(3, activation="softmax"),
    ])
