import numpy as np

from members import member
from uq import deep_ensemble_mc

x_test = np.random.rand(50_000, 10).astype("float32")
ensemble = [member(seed) for seed in range(4)]
all_draws = deep_ensemble_mc(ensemble, x_test)
probe_draws = deep_ensemble_mc(ensemble, x_test[:128])
