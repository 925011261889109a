import numpy as np
import tensorflow as tf

from steps import train_step

model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
x = np.random.rand(256, 4).astype("float32")
y = x.sum(axis=1, keepdims=True)

learning_rate = 0.1
for epoch in range(300):
    train_step(model, x, y, learning_rate)
    learning_rate = learning_rate * 0.99

for epoch in range(300):
    train_step(model, x, y, tf.constant(0.1 * 0.99 ** epoch))
