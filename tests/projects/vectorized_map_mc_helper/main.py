import numpy as np

from model import dropout_model
from sampling import mapped_samples, per_row, vectorised_samples

x_val = np.random.rand(600, 16).astype("float32")
model = dropout_model()
fast_but_identical = vectorised_samples(model, x_val, 40)
distinct = mapped_samples(model, x_val, 40)
rows = per_row(model, x_val)
