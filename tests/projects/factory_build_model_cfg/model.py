from tensorflow import keras


def build_model(cfg):
    model = keras.Sequential([
        keras.layers.Dense(cfg.hidden_units, activation="relu"),
        keras.layers.Dense(cfg.hidden_units, activation="relu"),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(cfg.learning_rate), loss="sparse_categorical_crossentropy")
    return model
