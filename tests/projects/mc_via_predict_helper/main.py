import numpy as np

from models import dropout_regressor
from uncertainty import predictive_std

x_val = np.random.rand(800, 12).astype("float32")
mc_model = dropout_regressor(12)
std = predictive_std(mc_model, x_val)
