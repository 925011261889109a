import numpy as np

from evaluation import deterministic_forward, stochastic_forward
from model import segmentation_head

x_pool = np.random.rand(30_000, 64).astype("float32")
x_labelled = x_pool[:300]
model = segmentation_head()

pool_draws = []
for _ in range(20):
    pool_draws.append(stochastic_forward(model, x_pool))

labelled_draws = []
for _ in range(20):
    labelled_draws.append(stochastic_forward(model, x_labelled))

reference = deterministic_forward(model, x_pool)
