import numpy as np
import tensorflow as tf


class Predictor:
    def __init__(self, path):
        self.model = tf.keras.models.load_model(path)

    def predict_one(self, features):
        batch = np.expand_dims(np.asarray(features, dtype="float32"), 0)
        return self.model.predict(batch, verbose=0)[0]

    def predict_many(self, rows):
        return self.model.predict(np.asarray(rows, dtype="float32"), batch_size=256, verbose=0)
