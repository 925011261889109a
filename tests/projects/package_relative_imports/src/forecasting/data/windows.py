import numpy as np


def make_windows(n_windows, width=48):
    return np.random.rand(n_windows, width).astype("float32")
