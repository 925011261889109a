import numpy as np
import tensorflow as tf

IMAGE_SIZE = (160, 160)


def load_classifier():
    return tf.keras.models.load_model("flowers.keras")


def preprocess(image):
    resized = tf.image.resize(image, IMAGE_SIZE).numpy() / 255.0
    return resized.astype(np.float32)
