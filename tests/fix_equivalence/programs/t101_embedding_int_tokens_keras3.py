"""TFB101 on integer token ids through an Embedding (tf.keras, Keras 3): output of rank 3, int input."""
# fixeq: expects TFB101
import numpy as np
from tensorflow import keras

from result_recorder import record

tokens = np.random.randint(0, 50, size=(1000, 6)).astype("int32")
model = keras.Sequential([keras.Input((6,), dtype="int32"), keras.layers.Embedding(50, 32),
                          keras.layers.Dense(128, activation="relu"), keras.layers.GlobalAveragePooling1D()])
pooled = model(tokens)
record("pooled", pooled)
