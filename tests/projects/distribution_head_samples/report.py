import numpy as np

from prob_model import gaussian_head_model

x_test = np.random.rand(40_000, 8).astype("float32")
model = gaussian_head_model(8)
model.load_weights("gaussian.h5")

dist = model(x_test)
draws = dist.sample(1000)
mean, std = dist.mean(), dist.stddev()

head = model(x_test[:256])
head_draws = head.sample(1000)
