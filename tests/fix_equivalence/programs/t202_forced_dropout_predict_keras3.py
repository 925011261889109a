"""TFB202 (Keras 3): dropout built in with training=True, sampled through predict, which switches it off."""
# fixeq: expects TFB202
import numpy as np
import keras

from result_recorder import record_samples

x_val = np.random.rand(50, 8).astype("float32")
inputs = keras.Input((8,))
hidden = keras.layers.Dropout(0.5)(keras.layers.Dense(32, activation="relu")(inputs), training=True)
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
samples = np.stack([model.predict(x_val, verbose=0) for _ in range(20)])
record_samples("samples", samples)
