"""TFB102 -> direct call: an agent's act() calls predict on one state per step; the model is loaded (Keras 3)."""
# fixeq: expects TFB102
import numpy as np
import keras

from result_recorder import record

states = np.random.rand(40, 4).astype("float32")
keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                  keras.layers.Dense(2)]).save("policy.keras")
policy = keras.models.load_model("policy.keras")


class Agent:
    def act(self, state):
        return policy.predict(state.reshape(1, -1), verbose=0)


agent = Agent()
actions = []
for step in range(30):
    actions.append(int(np.argmax(agent.act(states[step])[0])))
record("actions", actions)
record("q_first", agent.act(states[0]))
