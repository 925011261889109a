import random
from collections import deque

import numpy as np
from tensorflow import keras

from settings import GAMMA


class Agent:
    def __init__(self, state_size, action_size):
        self.action_size = action_size
        self.memory = deque(maxlen=2_000)
        self.model = keras.Sequential([
            keras.Input(shape=(state_size,)),
            keras.layers.Dense(24, activation="relu"),
            keras.layers.Dense(action_size),
        ])
        self.model.compile(loss="mse", optimizer="adam")

    def act(self, state):
        return int(np.argmax(self.model.predict(state, verbose=0)[0]))

    def replay(self, batch_size):
        minibatch = random.sample(self.memory, batch_size)
        for state, action, reward, next_state, done in minibatch:
            target = reward if done else reward + GAMMA * np.amax(self.model.predict(next_state, verbose=0)[0])
            target_f = self.model.predict(state, verbose=0)
            target_f[0][action] = target
            self.model.fit(state, target_f, epochs=1, verbose=0)
