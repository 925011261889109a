"""TFB101 predict_on_batch on a tf.Tensor -> sliced calls joined with np.concatenate (tf_keras); the output is
read as a NumPy array afterwards (.mean(axis=0), .dtype)."""
# fixeq: expects TFB101
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

features = tf.random.stateless_normal((3000, 64), seed=(1, 2))
model = keras.Sequential([keras.Input((64,)), keras.layers.Dense(512, activation="relu"), keras.layers.Dense(4)])
scores = model.predict_on_batch(features)
record("scores", scores)
record("column_means", scores.mean(axis=0))
record("dtype", str(scores.dtype))
