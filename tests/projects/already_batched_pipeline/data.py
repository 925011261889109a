import numpy as np
import tensorflow as tf


def test_arrays():
    return np.random.rand(50_000, 64).astype("float32")


def test_dataset(batch_size=256):
    return tf.data.Dataset.from_tensor_slices(test_arrays()).batch(batch_size)
