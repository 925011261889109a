import numpy as np


def mc_samples(model, x, n_samples=40):
    return np.stack([model(x, training=True).numpy() for _ in range(n_samples)])
