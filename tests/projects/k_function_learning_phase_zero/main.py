import numpy as np

from model import dropout_net
from uncertainty import mc_samples

x_val = np.random.rand(500, 8).astype("float32")
model = dropout_net(8)
inference_samples = mc_samples(model, x_val)
dropout_samples = mc_samples(model, x_val, phase=1)
