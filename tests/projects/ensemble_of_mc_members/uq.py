import numpy as np


def mc_dropout(model, x, samples=25):
    return np.stack([model(x, training=True).numpy() for _ in range(samples)])


def deep_ensemble_mc(models, x):
    return np.concatenate([mc_dropout(m, x) for m in models])
