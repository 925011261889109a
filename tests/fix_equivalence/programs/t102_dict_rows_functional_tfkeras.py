"""TFB102 -> direct call: predict on a dict of one-row named inputs per iteration, tf_keras functional model."""
# fixeq: expects TFB102
import numpy as np
import tf_keras as keras

from result_recorder import record

ages = np.random.rand(30, 1).astype("float32")
scores = np.random.rand(30, 2).astype("float32")
age = keras.Input((1,), name="age")
score = keras.Input((2,), name="score")
model = keras.Model({"age": age, "score": score},
                    keras.layers.Dense(1)(keras.layers.Concatenate()([age, score])))
risks = [model.predict({"age": ages[i:i + 1], "score": scores[i:i + 1]}, verbose=0) for i in range(20)]
record("risks", risks)
