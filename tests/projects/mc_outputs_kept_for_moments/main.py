import numpy as np

from model import mc_model
from predict import mc_interval, mc_moments

x_val = np.random.rand(1_000, 30).astype("float32")
model = mc_model()
mean, std = mc_moments(model, x_val, 200)
low, high = mc_interval(model, x_val, 200)
