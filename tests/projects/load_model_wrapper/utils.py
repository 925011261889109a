import os

import tensorflow as tf

MODEL_DIR = "checkpoints"


def load_classifier(name):
    """Load a saved classifier from the checkpoint directory."""
    return tf.keras.models.load_model(os.path.join(MODEL_DIR, name))
