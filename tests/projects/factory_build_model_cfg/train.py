import numpy as np
from tensorflow import keras

from config import Config
from model import build_model


def main():
    (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    x_train = x_train.reshape(-1, 784).astype("float32") / 255
    x_test = x_test.reshape(-1, 784).astype("float32") / 255
    model = build_model(Config())
    model.fit(x_train, y_train, epochs=3, batch_size=128)

    probs = model(x_test).numpy()
    accuracy = np.mean(probs.argmax(1) == y_test)

    batched = model.predict(x_test, batch_size=256)
    first_rows = model(x_test[:32])
    return accuracy, batched, first_rows


if __name__ == "__main__":
    main()
