import numpy as np
from sklearn.model_selection import train_test_split


def get_splits(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(60_000, 20)).astype("float32")
    y = (x[:, 0] > 0).astype("int64")
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2, random_state=seed)
    return {"train": (x_train, y_train), "test": (x_test, y_test), "sample": (x_test[:64], y_test[:64])}
