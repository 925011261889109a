import tf_keras as keras


def build_forecaster(horizon):
    return keras.Sequential([
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(0.1),
        keras.layers.Dense(horizon),
    ])
