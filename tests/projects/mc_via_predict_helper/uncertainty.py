import numpy as np


def predictive_std(model, x, n_samples=50):
    draws = [model.predict(x, verbose=0) for _ in range(n_samples)]
    return np.std(draws, axis=0)
