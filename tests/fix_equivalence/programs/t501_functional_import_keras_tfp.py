"""TFB501 -> tf_keras (safe): an `import keras` functional model with a tfp layer; Keras 3 rejects it as written."""
# fixeq: expects TFB501
# fixeq: original-fails
import numpy as np
import keras
import tensorflow_probability as tfp

from result_recorder import record

inputs = keras.Input((4,))
hidden = tfp.layers.DenseFlipout(8)(inputs)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
record("out", model(np.ones((3, 4), dtype="float32")), values=False)
