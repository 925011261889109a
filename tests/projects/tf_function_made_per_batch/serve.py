import numpy as np
import tensorflow as tf

from compile_utils import compiled_forward

model = tf.keras.models.load_model("model.keras")
batches = np.array_split(np.load("requests.npy"), 100)

outputs = []
for batch in batches:
    forward = compiled_forward(model)
    outputs.append(forward(batch))

fast = compiled_forward(model)
reused = [fast(batch) for batch in batches]
