import numpy as np

from .data.windows import make_windows
from .models import build_forecaster


def forecast_with_uncertainty(n_samples=100):
    windows = make_windows(20_000)
    model = build_forecaster(24)
    model.load_weights("forecaster.h5")
    draws = []
    for _ in range(n_samples):
        draws.append(model(windows, training=True))
    return np.stack(draws)


def forecast_latest(n_samples=100):
    latest = make_windows(32)
    model = build_forecaster(24)
    return np.stack([model(latest, training=True) for _ in range(n_samples)])
