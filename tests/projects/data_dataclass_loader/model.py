import tf_keras as keras


def build(width=1024):
    return keras.Sequential([
        keras.layers.Dense(width, activation="relu"),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(1),
    ])
