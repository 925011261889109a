import numpy as np
import pandas as pd

from forecast import direct_forecast, recursive_forecast
from model import lstm_forecaster

N_STEPS = 12
sales = pd.read_csv("store_sales.csv")
model = lstm_forecaster(N_STEPS)
model.load_weights("lstm.weights.h5")

forecasts = {}
for store, group in sales.groupby("store"):
    forecasts[store] = recursive_forecast(model, group["sales"].to_numpy(), N_STEPS, horizon=30)

windows = np.random.rand(500, N_STEPS, 1).astype("float32")
batch_forecast = direct_forecast(model, windows)
