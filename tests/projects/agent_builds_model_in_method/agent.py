import numpy as np
from tensorflow import keras


class ActorCritic:
    def __init__(self, n_states, n_actions):
        self.n_actions = n_actions
        self.actor = self._build_actor(n_states, n_actions)
        self.critic = self._build_critic(n_states)

    def _build_actor(self, n_states, n_actions):
        inputs = keras.Input(shape=(n_states,))
        hidden = keras.layers.Dense(128, activation="relu")(inputs)
        return keras.Model(inputs, keras.layers.Dense(n_actions, activation="softmax")(hidden))

    def _build_critic(self, n_states):
        inputs = keras.Input(shape=(n_states,))
        hidden = keras.layers.Dense(128, activation="relu")(inputs)
        return keras.Model(inputs, keras.layers.Dense(1)(hidden))

    def choose_action(self, state):
        probs = self.actor.predict(state.reshape(1, -1), verbose=0)[0]
        return int(np.random.choice(self.n_actions, p=probs))

    def value(self, state):
        return float(self.critic(state.reshape(1, -1))[0, 0])
