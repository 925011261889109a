import numpy as np

from dataset import load_dataset
from net import mc_dropout_net

data = load_dataset()
model = mc_dropout_net()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(data.x_train, data.y_train, epochs=3, batch_size=128)

test_samples = [model(data.x_test, training=True).numpy() for _ in range(30)]
calib_samples = [model(data.x_calib, training=True).numpy() for _ in range(30)]
np.save("test_samples.npy", np.stack(test_samples))
np.save("calib_samples.npy", np.stack(calib_samples))
