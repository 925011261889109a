from tensorflow import keras


class Net:
    """A regression network behind a small object: fit in the constructor, evaluate afterwards."""

    def __init__(self, x_train, y_train, hidden=50, epochs=40):
        inputs = keras.Input(shape=(x_train.shape[1],))
        hidden_layer = keras.layers.Dense(hidden, activation="relu")(inputs)
        model = keras.Model(inputs, keras.layers.Dense(1)(hidden_layer))
        model.compile(optimizer="adam", loss="mse")
        model.fit(x_train, y_train, epochs=epochs, verbose=0)
        self.model = model

    def rmse(self, x, y):
        return float(((self.model.predict(x, verbose=0)[:, 0] - y) ** 2).mean() ** 0.5)


class Scorer:
    """Scores a model it is given; builds nothing."""

    def __init__(self, model):
        self.model = model

    def rmse(self, x, y):
        return float(((self.model.predict(x, verbose=0)[:, 0] - y) ** 2).mean() ** 0.5)
