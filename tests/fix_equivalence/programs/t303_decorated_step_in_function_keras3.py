"""TFB303 -> hoist (safe): a decorated step defined inside a loop in a function, `import keras` model."""
# fixeq: expects TFB303
import numpy as np
import keras
import tensorflow as tf

from result_recorder import record

model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])
batches = [np.random.rand(8, 6).astype("float32") for _ in range(4)]


def run(batches):
    out = []
    for batch in batches:
        @tf.function
        def step(x):
            return model(x, training=False)

        out.append(step(batch))
    return out


record("outputs", run(batches))
