import numpy as np
from hyperopt import STATUS_OK, Trials, fmin, hp, tpe

from model import build

x = np.random.rand(3_000, 6).astype("float32")
y = x.sum(axis=1)
space = {"units": hp.quniform("units", 16, 256, 16), "dropout": hp.uniform("dropout", 0.0, 0.5),
         "lr": hp.loguniform("lr", -9, -3)}


def objective(params):
    model = build(params)
    history = model.fit(x, y, validation_split=0.2, epochs=5, verbose=0)
    return {"loss": history.history["val_loss"][-1], "status": STATUS_OK}


best = fmin(objective, space, algo=tpe.suggest, max_evals=100, trials=Trials())
