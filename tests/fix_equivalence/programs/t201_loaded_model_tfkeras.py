"""TFB201 on a loaded tf_keras model (layers not visible to the linter): MC dropout samples over a whole array."""
# fixeq: expects TFB101|TFB201
import numpy as np
import tf_keras as keras

from result_recorder import record_samples

x = np.random.rand(1000, 8).astype("float32")
keras.Sequential([keras.layers.Dense(128, activation="relu", input_shape=(8,)), keras.layers.Dropout(0.3),
                  keras.layers.Dense(1)]).save("mc.h5")
model = keras.models.load_model("mc.h5")
samples = []
for _ in range(20):
    samples.append(model(x, training=True).numpy())
record_samples("samples", samples)
