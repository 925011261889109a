import tf_keras as keras


def segmentation_head():
    return keras.Sequential([
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(1024, activation="relu"),
        keras.layers.Dropout(0.25),
        keras.layers.Dense(2, activation="softmax"),
    ])
