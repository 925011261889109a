import numpy as np
import tensorflow as tf

from model import wide_model

x = np.random.rand(60_000, 32).astype("float32")
model = wide_model()

halves = [model(chunk) for chunk in np.array_split(x, 2)]
small_chunks = [model(chunk) for chunk in np.array_split(x, 600)]
tensor_quarters = [model(part) for part in tf.split(x, 4)]
tensor_slivers = [model(part) for part in tf.split(x, 200)]
predict_chunks = [model.predict(chunk, verbose=0) for chunk in np.array_split(x, 500)]
