"""TFB101 -> predict: a model saved and loaded with `import keras` (.keras file), called on a whole array."""
# fixeq: expects TFB101
import numpy as np
import keras

from result_recorder import record

x = np.random.rand(1000, 16).astype("float32")
built = keras.Sequential([keras.Input((16,)), keras.layers.Dense(128, activation="relu"), keras.layers.Dense(4)])
built.save("classifier.keras")
model = keras.models.load_model("classifier.keras")
probs = model(x).numpy()
record("probs", probs)
record("class_counts", np.bincount(probs.argmax(axis=1), minlength=4))
