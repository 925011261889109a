import numpy as np


def per_image_samples(model, images, n_samples=50):
    out = []
    for image in images:
        stacked = np.tile(image, (n_samples, 1, 1, 1))
        out.append(model.predict(stacked, verbose=0))
    return out


def per_batch_samples(model, images, n_samples=50):
    return np.stack([model.predict(images, batch_size=500, verbose=0) for _ in range(n_samples)])
