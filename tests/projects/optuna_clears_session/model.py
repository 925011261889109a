from tensorflow import keras


def create_model(trial):
    n_layers = trial.suggest_int("n_layers", 1, 3)
    model = keras.Sequential()
    for i in range(n_layers):
        model.add(keras.layers.Dense(trial.suggest_int(f"units_{i}", 16, 256), activation="relu"))
    model.add(keras.layers.Dense(1))
    model.compile(optimizer=keras.optimizers.Adam(trial.suggest_float("lr", 1e-4, 1e-2, log=True)), loss="mse")
    return model
