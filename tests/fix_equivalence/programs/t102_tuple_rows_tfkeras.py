"""TFB102 on a two-input tf_keras model fed a tuple of one-row arrays per iteration."""
# fixeq: expects TFB102
import numpy as np
import tf_keras as keras

from result_recorder import record

left = np.random.rand(30, 3).astype("float32")
right = np.random.rand(30, 2).astype("float32")
a = keras.Input((3,))
b = keras.Input((2,))
model = keras.Model([a, b], keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
outputs = [model.predict((left[i:i + 1], right[i:i + 1]), verbose=0) for i in range(20)]
record("outputs", outputs)
