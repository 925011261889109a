import numpy as np
import tensorflow as tf

from model import get_model, load_model

tf.keras.utils.set_random_seed(0)
x = np.random.rand(50_000, 12)
y = (x[:, 0] > 0.5).astype(int)

forest = get_model()
forest.fit(x, y)
per_row = [forest.predict(row.reshape(1, -1)) for row in x[:5_000]]

saved = load_model()
while True:
    saved.predict(np.random.rand(1, 12))
