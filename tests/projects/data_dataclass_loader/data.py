from dataclasses import dataclass

import numpy as np


@dataclass
class Splits:
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray


def load_splits(path="features.npz"):
    archive = np.load(path)
    return Splits(archive["x_train"], archive["y_train"], archive["x_val"][:500], archive["y_val"][:500])
