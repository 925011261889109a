import numpy as np


class CifarLoader:
    def __init__(self, root):
        self.root = root
        self.x_test = np.random.rand(10_000, 3072).astype("float32")
        self.y_test = np.random.randint(0, 10, 10_000)
        self.x_debug = self.x_test[:16]

    def test_set(self):
        return self.x_test, self.y_test
