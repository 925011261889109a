import numpy as np
import tensorflow as tf

from model import load_digits_model

model = load_digits_model()
(_, _), (images, labels) = tf.keras.datasets.mnist.load_data()
images = images / 255.0

for i in range(300):
    model.predict(tf.expand_dims(images[i], 0), verbose=0)

for i in range(300):
    model.predict(images[i].reshape(1, 28, 28, 1), verbose=0)

for i in range(300):
    model.predict(tf.reshape(images[i], (1, 28, 28, 1)), verbose=0)

for i in range(300):
    model.predict(images[[i]], verbose=0)

for i in range(300):
    model.predict(images[i:i + 1, :, :], verbose=0)

chosen = np.random.choice(len(images), size=16, replace=False)
model.predict(images[chosen], verbose=0)
