"""TFB303 -> hoist (safe): tf.function(model) created on every iteration over fixed batches, nothing it captures
changes."""
# fixeq: expects TFB303
import tensorflow as tf
from tensorflow import keras

from result_recorder import record

model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
batches = [tf.random.uniform((16, 8)) for _ in range(5)]
outputs = []
for batch in batches:
    fast = tf.function(model)
    outputs.append(fast(batch))
record("outputs", outputs)
