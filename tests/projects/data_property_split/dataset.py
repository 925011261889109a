import numpy as np


class TabularDataset:
    def __init__(self, path, test_fraction=0.2):
        self._x = np.load(path)
        self._split = int(len(self._x) * (1 - test_fraction))

    @property
    def train(self):
        return self._x[:self._split]

    @property
    def test(self):
        return self._x[self._split:]

    @property
    def preview(self):
        return self._x[:10]
