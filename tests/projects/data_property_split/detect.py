import numpy as np

from dataset import TabularDataset
from model import autoencoder

data = TabularDataset("sensor_readings.npy")
model = autoencoder(40)
model.compile(optimizer="adam", loss="mse")
model.fit(data.train, data.train, epochs=20, batch_size=256)

reconstruction = model(data.test).numpy()
errors = np.mean((reconstruction - data.test) ** 2, axis=1)
preview = model(data.preview)
