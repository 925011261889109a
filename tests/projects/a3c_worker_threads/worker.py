import threading

import gym
import numpy as np

EPISODES = 2_000


class Worker(threading.Thread):
    def __init__(self, actor, state_size, action_size):
        super().__init__()
        self.actor = actor
        self.state_size = state_size
        self.action_size = action_size

    def get_action(self, state):
        policy = self.actor.predict(np.reshape(state, [1, self.state_size]), verbose=0)[0]
        return int(np.random.choice(self.action_size, p=policy))

    def run(self):
        env = gym.make("CartPole-v1")
        for episode in range(EPISODES):
            state, _ = env.reset()
            done = False
            while not done:
                state, reward, done, _, _ = env.step(self.get_action(state))
