"""Repro r03 (S2): an activity regularizer adds to model.losses on each call; the program reads it afterwards."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 4).astype("float32")
model = keras.Sequential([keras.layers.Dense(128, input_shape=(4,), activity_regularizer=keras.regularizers.L1(1e-3))])
out = model(x, training=False)
record("out", out)
record("penalty", float(tf.add_n(model.losses)))
