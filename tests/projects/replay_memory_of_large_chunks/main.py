import numpy as np

from agent import Distiller
from loop import epoch

pool = np.random.default_rng(0).standard_normal((400_000, 32)).astype("float32")
distiller = Distiller(32)
for _ in range(100):
    epoch(distiller, pool)
