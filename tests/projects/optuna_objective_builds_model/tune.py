import numpy as np
import optuna

from model import create_model

x = np.random.rand(5_000, 10).astype("float32")
y = x @ np.arange(10, dtype="float32")


def objective(trial):
    model = create_model(trial)
    history = model.fit(x, y, validation_split=0.2, epochs=5, verbose=0)
    return history.history["val_loss"][-1]


def final_fit(params):
    model = create_model(optuna.trial.FixedTrial(params))
    return model.fit(x, y, epochs=20, verbose=0)


study = optuna.create_study(direction="minimize")
study.optimize(objective, n_trials=100)
final_fit(study.best_params)
