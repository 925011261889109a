import numpy as np
import tensorflow as tf


class ToxicityModel:
    def __init__(self, path):
        self.path = path
        self.model = None

    def load(self):
        self.model = tf.keras.models.load_model(self.path, compile=False)
        return self

    def score(self, vector):
        return float(self.model.predict(np.asarray(vector)[None, :], verbose=0)[0, 0])
