import tensorflow as tf


class RegressionNet(tf.keras.Model):
    """A plain MLP with MC-dropout-ready Dropout layers."""

    def __init__(self, width=2048):
        super().__init__()
        self.hidden = tf.keras.layers.Dense(width, activation="relu")
        self.drop = tf.keras.layers.Dropout(0.1)
        self.out = tf.keras.layers.Dense(1)

    def call(self, inputs, training=False):
        return self.out(self.drop(self.hidden(inputs), training=training))
