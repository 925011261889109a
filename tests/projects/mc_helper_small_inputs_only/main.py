import numpy as np

from bayes import bayesian_mlp
from uncertainty import predictive_samples

x_grid = np.linspace(-3, 3, 200).reshape(-1, 1).astype("float32")
x_pool = np.random.uniform(-3, 3, size=(100_000, 1)).astype("float32")

model = bayesian_mlp(1)
grid_samples = predictive_samples(model, x_grid, 50)
pool_head_samples = predictive_samples(model, x_pool[:512], 50)
single_pass = predictive_samples(model, x_pool[:2_000], 1)
