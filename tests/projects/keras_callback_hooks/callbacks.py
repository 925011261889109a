import numpy as np
import tensorflow as tf


class SampleLogger(tf.keras.callbacks.Callback):
    """Logs predictions on a few fixed rows after every training batch."""

    def __init__(self, probe):
        super().__init__()
        self.probe = probe
        self.history = []

    def on_train_batch_end(self, batch, logs=None):
        self.history.append(self.model.predict(self.probe, verbose=0))


class ValidationAUC(tf.keras.callbacks.Callback):
    def __init__(self, x_val, y_val):
        super().__init__()
        self.x_val, self.y_val = x_val, y_val

    def on_epoch_end(self, epoch, logs=None):
        scores = self.model.predict(self.x_val, batch_size=512, verbose=0).ravel()
        logs["val_auc"] = float(np.mean(scores[self.y_val == 1] > np.median(scores)))
