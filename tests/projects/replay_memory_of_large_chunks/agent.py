import random
from collections import deque

import numpy as np
from tensorflow import keras


class Distiller:
    """Keeps chunks of a large unlabelled set and relabels a few of them with the teacher after every epoch."""

    def __init__(self, width):
        self.memory = deque(maxlen=50)
        self.teacher = keras.Sequential([
            keras.Input(shape=(width,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(10),
        ])

    def relabel(self, count):
        chunks = random.sample(self.memory, count)
        for chunk, weight in chunks:
            labels = self.teacher.predict(chunk, batch_size=1024, verbose=0)
            print(weight * labels.mean())
