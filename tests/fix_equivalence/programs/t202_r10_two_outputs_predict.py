"""Repro r10: MC dropout through predict on a model with two outputs (TFB202), then predict per row (TFB102)."""
# fixeq: expects TFB202
import numpy as np
import tf_keras as keras

from result_recorder import record, record_samples

x = np.random.rand(400, 6).astype("float32")
inputs = keras.Input((6,))
hidden = keras.layers.Dropout(0.3)(keras.layers.Dense(128)(inputs))
model = keras.Model(inputs, [keras.layers.Dense(1)(hidden), keras.layers.Dense(1)(hidden)])
draws = [model.predict(x, verbose=0) for _ in range(10)]
firsts = [model.predict(x[i:i + 1], verbose=0)[0] for i in range(10)]
record_samples("draws", draws)
record("firsts", firsts)
