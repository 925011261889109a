import tensorflow as tf

_MODEL = None


def get_model():
    global _MODEL
    if _MODEL is None:
        _MODEL = tf.keras.models.load_model("artifacts/churn.keras")
    return _MODEL
