from tensorflow import keras


def build(params):
    model = keras.Sequential([
        keras.layers.Dense(int(params["units"]), activation="relu"),
        keras.layers.Dropout(params["dropout"]),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(params["lr"]), loss="mse")
    return model
