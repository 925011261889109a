from tensorflow import keras


def load_scorer():
    return keras.models.load_model("scorer.keras")
