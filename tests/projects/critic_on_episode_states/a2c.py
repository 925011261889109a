import numpy as np

from nets import critic_network


class EpisodeLearner:
    def __init__(self, state_size):
        self.critic = critic_network(state_size)
        self.states, self.rewards = [], []

    def remember(self, state, reward):
        self.states.append(state)
        self.rewards.append(reward)

    def finish_episode(self):
        values = self.critic.predict(np.array(self.states), verbose=0)[:, 0]
        advantages = np.array(self.rewards) - values
        self.states, self.rewards = [], []
        return advantages
