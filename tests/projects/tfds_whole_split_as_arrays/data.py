import tensorflow_datasets as tfds


def whole_test_split():
    images, labels = tfds.as_numpy(tfds.load("mnist", split="test", batch_size=-1, as_supervised=True))
    return images / 255.0, labels


def batched_test_split():
    return tfds.load("mnist", split="test", as_supervised=True).batch(256)
