"""TFB101 predict_on_batch on images -> the same call on slices joined with np.concatenate (Keras 3 CNN)."""
# fixeq: expects TFB101
import keras
import numpy as np

from result_recorder import record

keras.utils.set_random_seed(0)
images = np.random.default_rng(0).standard_normal((1500, 16, 16, 3)).astype("float32")
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    keras.layers.Conv2D(16, 3, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(),
    keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
    keras.layers.GlobalAveragePooling2D(),
    keras.layers.Dense(10),
])
logits = model.predict_on_batch(images)
record("logits", logits)
record("classes", logits.argmax(axis=1))
