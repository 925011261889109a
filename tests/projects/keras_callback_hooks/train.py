import numpy as np
import tensorflow as tf

from callbacks import SampleLogger, ValidationAUC

x = np.random.rand(100_000, 30).astype("float32")
y = np.random.randint(0, 2, size=100_000)
model = tf.keras.Sequential([tf.keras.layers.Dense(64, activation="relu"), tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=10, batch_size=64,
          callbacks=[SampleLogger(x[:8]), ValidationAUC(x[:5_000], y[:5_000])])
