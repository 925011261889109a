import numpy as np
from PIL import Image


def load_image(path, size=(224, 224)):
    image = Image.open(path).convert("RGB").resize(size)
    return np.asarray(image, dtype="float32") / 255.0
