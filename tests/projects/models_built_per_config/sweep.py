import itertools

import numpy as np
from tensorflow import keras

from model import get_model

x = np.random.rand(2_000, 8).astype("float32")
y = x.sum(axis=1)

grid = list(itertools.product([16, 32, 64, 128, 256], [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]))
scores = {}
for units, dropout in grid:
    model = get_model(units, dropout)
    scores[(units, dropout)] = model.fit(x, y, epochs=2, verbose=0).history["loss"][-1]

for seed in range(50):
    keras.backend.clear_session()
    model = get_model(32, 0.1)
    model.fit(x, y, epochs=1, verbose=0)

final_models = []
for seed in range(20):
    member = get_model(64, 0.2)
    member.fit(x, y, epochs=2, verbose=0)
    final_models.append(member)
