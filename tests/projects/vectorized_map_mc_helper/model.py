import tf_keras as keras


def dropout_model():
    return keras.Sequential([
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.3),
        keras.layers.Dense(1),
    ])
