import numpy as np


def mc_moments(model, x, n_samples):
    samples = [model(x, training=True).numpy() for _ in range(n_samples)]
    return np.mean(samples, axis=0), np.std(samples, axis=0)


def mc_interval(model, x, n_samples):
    samples = np.stack([model(x, training=True).numpy() for _ in range(n_samples)])
    return np.percentile(samples, [2.5, 97.5], axis=0)
