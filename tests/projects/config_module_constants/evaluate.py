import numpy as np

from config import EVAL_ROWS, MC_SAMPLES, SMOKE_ROWS
from model import make_model

x_eval = np.random.rand(EVAL_ROWS, 24).astype("float32")
model = make_model()

draws = []
for _ in range(MC_SAMPLES):
    draws.append(model(x_eval, training=True).numpy())

smoke = [model(x_eval[:SMOKE_ROWS], training=True).numpy() for _ in range(MC_SAMPLES)]
