"""TFB102 on an act() function that calls predict on one state per environment step; the model is loaded
(`import keras`, .keras file)."""
# fixeq: expects TFB102
import numpy as np
import keras

from result_recorder import record

states = np.random.rand(40, 4).astype("float32")
keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                  keras.layers.Dense(2)]).save("policy.keras")
policy = keras.models.load_model("policy.keras")


def act(state):
    return policy.predict(state.reshape(1, -1), verbose=0)


q_values = []
for step in range(30):
    q_values.append(act(states[step]))
record("q_values", q_values)
record("actions", [int(np.argmax(q[0])) for q in q_values])
