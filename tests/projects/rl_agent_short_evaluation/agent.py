import numpy as np

from networks import policy_network


class PolicyAgent:
    def __init__(self, n_states, n_actions):
        self.policy = policy_network(n_states, n_actions)
        self.policy.load_weights("policy.weights.h5")

    def act(self, state):
        probs = self.policy.predict(state[np.newaxis], verbose=0)[0]
        return int(np.argmax(probs))

    def act_fast(self, state):
        probs = self.policy(state[np.newaxis], training=False).numpy()[0]
        return int(np.argmax(probs))
