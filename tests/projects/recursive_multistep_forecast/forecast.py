import numpy as np


def recursive_forecast(model, history, n_steps, horizon):
    window = list(history[-n_steps:])
    out = []
    for _ in range(horizon):
        x = np.array(window[-n_steps:]).reshape((1, n_steps, 1))
        yhat = float(model.predict(x, verbose=0)[0, 0])
        out.append(yhat)
        window.append(yhat)
    return out


def direct_forecast(model, windows):
    return model.predict(windows, batch_size=256, verbose=0)
