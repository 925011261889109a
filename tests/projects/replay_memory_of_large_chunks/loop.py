import numpy as np

from agent import Distiller

CHUNK = 20_000


def epoch(distiller, pool):
    for start in range(0, 400_000, CHUNK):
        distiller.memory.append((pool[start:start + CHUNK], 1.0))
    distiller.relabel(8)
