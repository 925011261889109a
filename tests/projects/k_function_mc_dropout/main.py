import numpy as np

from mc import mc_dropout_predict
from model import build_mc_model

data = np.loadtxt("housing.csv", delimiter=",", skiprows=1)
x_train, y_train = data[:, :-1], data[:, -1]
x_query = x_train[:10]

model = build_mc_model(x_train.shape[1])
model.compile(optimizer="adam", loss="mse")
model.fit(x_train, y_train, epochs=50, batch_size=32, verbose=0)
train_uncertainty = mc_dropout_predict(model, x_train).std(axis=0)
query_uncertainty = mc_dropout_predict(model, x_query).std(axis=0)
