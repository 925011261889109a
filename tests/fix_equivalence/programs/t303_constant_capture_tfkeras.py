"""TFB303 -> hoist: a tf.function over a tf_keras model and a constant, created per batch in a loop."""
# fixeq: expects TFB303
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

model = keras.Sequential([keras.layers.Dense(2, input_shape=(5,))])
offset = tf.constant(0.5)
batches = [np.random.rand(6, 5).astype("float32") for _ in range(4)]
shifted = []
for batch in batches:
    shift = tf.function(lambda t: model(t) + offset)
    shifted.append(shift(batch).numpy())
record("shifted", shifted)
