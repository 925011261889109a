import numpy as np
from tensorflow import keras


class Classifier:
    def __init__(self, path):
        self.model = keras.models.load_model(path)

    def label(self, image):
        batch = np.reshape(image, (1, 160, 160, 3))
        return int(np.argmax(self.model.predict(batch, verbose=0)[0]))
