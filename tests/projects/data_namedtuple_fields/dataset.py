from collections import namedtuple

import numpy as np

Dataset = namedtuple("Dataset", ["x_train", "y_train", "x_test", "y_test", "x_calib"])


def load_dataset():
    x = np.random.rand(40_000, 128).astype("float32")
    y = np.random.randint(0, 5, size=40_000)
    return Dataset(x[:30_000], y[:30_000], x[30_000:], y[30_000:], x[:200])
