import tf_keras as keras


def mc_model():
    return keras.Sequential([
        keras.layers.Dense(256, activation="relu"),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(200),
    ])
