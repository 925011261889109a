import numpy as np


class Trainer:
    def __init__(self, model, x_train, y_train, x_val, y_val):
        self.model = model
        self.x_train, self.y_train = x_train, y_train
        self.x_val, self.y_val = x_val, y_val

    def fit(self, epochs):
        self.model.fit(self.x_train, self.y_train, epochs=epochs, batch_size=128, verbose=0)

    def validation_accuracy(self):
        logits = self.model(self.x_val, training=False)
        return float(np.mean(np.argmax(logits, axis=1) == self.y_val))

    def smoke_test(self):
        return self.model(self.x_val[:8], training=False)
