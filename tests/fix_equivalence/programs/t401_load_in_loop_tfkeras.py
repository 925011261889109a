"""TFB401 -> clear_session() (unsafe): a tf_keras checkpoint loaded on every iteration and used to predict."""
# fixeq: expects TFB401
# fixeq: isolated
import numpy as np
import tf_keras as keras

from result_recorder import record

x = np.random.rand(16, 4).astype("float32")
keras.Sequential([keras.layers.Dense(3, input_shape=(4,))]).save("checkpoint.h5")
outputs = []
for round_number in range(12):
    model = keras.models.load_model("checkpoint.h5")
    outputs.append(model.predict(x, verbose=0))
record("outputs", outputs)
