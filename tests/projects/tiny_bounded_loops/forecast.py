import numpy as np

from model import forecaster

series = np.load("sales.npy")
windows = np.stack([series[i:i + 30] for i in range(len(series) - 30)])[..., None]
model = forecaster()
model.load_weights("forecaster.h5")

# One "sample": a point forecast, not Monte Carlo.
point = [model.predict(windows[-1:], verbose=0) for _ in range(1)]

# Two horizons, two calls.
for horizon in ["next_week", "next_month"]:
    print(horizon, model.predict(windows[-1:], verbose=0))

# Ten single-window calls: half a second in all.
for i in range(10):
    model.predict(windows[i][None], verbose=0)

# Rolling forecast of one window per step while the user watches: unbounded.
while True:
    window = windows[-1:]
    step = model.predict(window, verbose=0)
    next_window = np.concatenate([window[:, 1:, :], step[:, None, :]], axis=1)
    windows = np.concatenate([windows, next_window])
