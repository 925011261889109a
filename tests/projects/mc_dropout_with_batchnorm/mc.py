import numpy as np


def mc_predict(model, images, samples=25):
    return np.stack([model(images, training=True).numpy() for _ in range(samples)])
