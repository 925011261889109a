import numpy as np
from bayes_opt import BayesianOptimization

from model import build

x = np.random.rand(3_000, 6).astype("float32")
y = x.sum(axis=1)


def score(units, dropout, lr):
    model = build({"units": units, "dropout": dropout, "lr": lr})
    history = model.fit(x, y, validation_split=0.2, epochs=5, verbose=0)
    return -history.history["val_loss"][-1]


optimizer = BayesianOptimization(f=score, pbounds={"units": (16, 256), "dropout": (0.0, 0.5), "lr": (1e-4, 1e-2)})
optimizer.maximize(init_points=10, n_iter=40)
