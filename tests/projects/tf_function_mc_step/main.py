import numpy as np

from model import make_model
from steps import make_mc_step

x_test = np.random.rand(20_000, 16).astype("float32")
model = make_model()
mc_step = make_mc_step(model)

samples = [mc_step(x_test).numpy() for _ in range(40)]
batch_samples = [np.concatenate([mc_step(x_test[i:i + 512]).numpy() for i in range(0, 20_000, 512)])
                 for _ in range(40)]
