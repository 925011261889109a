import numpy as np
import tensorflow as tf

from io_utils import checkpoint_paths, restore

x_val = np.random.rand(2_000, 20).astype("float32")
y_val = np.random.rand(2_000).astype("float32")

losses = {}
for path in checkpoint_paths("runs/exp1"):
    model = restore(path)
    losses[path] = model.evaluate(x_val, y_val, verbose=0)

best_path = min(losses, key=losses.get)

for path in checkpoint_paths("runs/exp2"):
    tf.keras.backend.clear_session()
    model = restore(path)
    losses[path] = model.evaluate(x_val, y_val, verbose=0)

final = restore(best_path)
