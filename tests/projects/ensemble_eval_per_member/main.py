import numpy as np

from evaluation import ensemble_mean, ensemble_mean_batched
from members import make_member

x_train = np.random.rand(20_000, 16).astype("float32")
y_train = x_train.sum(1)
x_holdout = np.random.rand(30_000, 16).astype("float32")

ensemble = []
for seed in range(5):
    member = make_member(seed)
    member.compile(optimizer="adam", loss="mse")
    member.fit(x_train, y_train, epochs=5, verbose=0)
    ensemble.append(member)

mean_prediction = ensemble_mean(ensemble, x_holdout)
mean_batched = ensemble_mean_batched(ensemble, x_holdout)
