import numpy as np
from tensorflow.keras.models import load_model

MODEL_PATH = "models/digits.h5"


def classify(pixels):
    model = load_model(MODEL_PATH)
    return int(np.argmax(model.predict(np.array([pixels]), verbose=0)[0]))


def classify_many(rows):
    model = load_model(MODEL_PATH)
    return np.argmax(model.predict(np.array(rows), batch_size=256, verbose=0), axis=1)
