"""TFB501 -> tf_keras (safe): `tf.keras.Sequential` holding a tfp layer, which Keras 3 rejects as written."""
# fixeq: expects TFB501
# fixeq: original-fails
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from result_recorder import record

model = tf.keras.Sequential([tf.keras.layers.Dense(8, input_shape=(3,)), tfp.layers.DenseFlipout(1)])
out = model(np.ones((5, 3), dtype="float32"))
record("out", out, values=False)
