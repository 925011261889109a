import tf_keras as keras


def dropout_classifier():
    return keras.Sequential([
        keras.layers.Dense(2048, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])
