import numpy as np

from metrics import cumulative_error, cumulative_error_relaxed

preds = np.random.rand(365).astype("float32")
truth = np.random.rand(365).astype("float32")

errors = []
for day in range(1, 365):
    errors.append(cumulative_error(preds[:day], truth[:day]))

relaxed = []
for day in range(1, 365):
    relaxed.append(cumulative_error_relaxed(preds[:day], truth[:day]))

weekly = [cumulative_error(preds[start:start + 7], truth[start:start + 7]) for start in range(0, 358, 7)]
