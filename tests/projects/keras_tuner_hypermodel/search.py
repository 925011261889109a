import keras_tuner as kt
from tensorflow import keras

from hypermodel import TunedMLP, build_model

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784) / 255.0

tuner = kt.RandomSearch(build_model, objective="val_accuracy", max_trials=50, directory="runs")
tuner.search(x_train, y_train, epochs=3, validation_split=0.2)

hyperband = kt.Hyperband(TunedMLP(), objective="val_accuracy", max_epochs=10, directory="runs")
hyperband.search(x_train, y_train, validation_split=0.2)
