"""TFB101 -> predict: a tf_keras model saved to HDF5 and loaded, its whole-array output averaged with np.mean."""
# fixeq: expects TFB101
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(1000, 16).astype("float32")
built = keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(16,)), keras.layers.Dense(3)])
built.save("model.h5")
model = keras.models.load_model("model.h5")
column_means = np.mean(model(x).numpy(), axis=0)
record("column_means", column_means)
