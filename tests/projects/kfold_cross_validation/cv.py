import numpy as np
from sklearn.model_selection import KFold, RepeatedKFold

from model import make_regressor

X = np.random.rand(100_000, 20).astype("float32")
y = X.sum(axis=1)


def five_fold_scores():
    scores = []
    for train_idx, test_idx in KFold(n_splits=5, shuffle=True).split(X):
        model = make_regressor()
        model.compile(optimizer="adam", loss="mse")
        model.fit(X[train_idx], y[train_idx], epochs=3, batch_size=256, verbose=0)
        predictions = model(X[test_idx]).numpy().ravel()
        scores.append(np.mean((predictions - y[test_idx]) ** 2))
    return scores


def repeated_scores():
    scores = []
    splitter = RepeatedKFold(n_splits=10, n_repeats=10, random_state=0)
    for train_idx, test_idx in splitter.split(X):
        model = make_regressor()
        model.compile(optimizer="adam", loss="mse")
        model.fit(X[train_idx], y[train_idx], epochs=1, verbose=0)
        scores.append(model.evaluate(X[test_idx], y[test_idx], verbose=0))
    return scores


five_fold_scores()
repeated_scores()
