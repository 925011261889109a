import glob

import tensorflow as tf


def checkpoint_paths(folder):
    return sorted(glob.glob(f"{folder}/epoch_*.keras"))


def restore(path):
    return tf.keras.models.load_model(path)
