import random
from collections import deque

import numpy as np

from model import build_q_network


class DQNAgent:
    def __init__(self, state_size, action_size):
        self.state_size = state_size
        self.action_size = action_size
        self.memory = deque(maxlen=2000)
        self.epsilon = 1.0
        self.model = build_q_network(state_size, action_size)

    def remember(self, state, action, reward, next_state, done):
        self.memory.append((state, action, reward, next_state, done))

    def act(self, state):
        if np.random.rand() <= self.epsilon:
            return random.randrange(self.action_size)
        q_values = self.model.predict(np.reshape(state, (1, self.state_size)), verbose=0)
        return int(np.argmax(q_values[0]))

    def replay(self, batch_size):
        batch = random.sample(self.memory, batch_size)
        states = np.array([item[0] for item in batch])
        targets = self.model(states, training=False).numpy()
        self.model.fit(states, targets, epochs=1, verbose=0)
        self.epsilon *= 0.995
