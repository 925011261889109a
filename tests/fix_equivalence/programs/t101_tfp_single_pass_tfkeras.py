"""TFB101 -> batching helper (unsafe: one weight draw per batch): one pass of a tf_keras DenseReparameterization
model over a whole array."""
# fixeq: expects TFB101
import numpy as np
import tensorflow_probability as tfp
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 4).astype("float32")
model = keras.Sequential([keras.Input((4,)), tfp.layers.DenseReparameterization(128), keras.layers.Dense(1)])
draw = model(x)
record("draw", draw, values=False)
