import keras_tuner as kt
from tensorflow import keras


def build_model(hp):
    model = keras.Sequential([
        keras.layers.Dense(hp.Int("units", 32, 512, step=32), activation="relu"),
        keras.layers.Dropout(hp.Float("dropout", 0.0, 0.5)),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class TunedMLP(kt.HyperModel):
    def build(self, hp):
        return build_model(hp)
