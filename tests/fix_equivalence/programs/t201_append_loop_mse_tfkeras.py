"""TFB201 -> batching helper (safe): tf_keras functional MC dropout appended in a for loop; the MC mean's loss."""
# fixeq: expects TFB201
import numpy as np
import tf_keras as keras

from result_recorder import record_samples

x = np.random.rand(1000, 6).astype("float32")
targets = np.random.rand(1000, 1).astype("float32")
inputs = keras.Input((6,))
hidden = keras.layers.Dropout(0.2)(keras.layers.Dense(128, activation="relu")(inputs))
model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
predictions = []
losses = []
for _ in range(20):
    prediction = model(x, training=True)
    predictions.append(prediction)
    losses.append(keras.losses.mean_squared_error(targets, prediction))
record_samples("predictions", predictions)
record_samples("losses", losses)
