import numpy as np


def predictive_samples(model, x, n_samples):
    preds = []
    for _ in range(n_samples):
        preds.append(model(x).numpy())
    return np.concatenate(preds, axis=1)
