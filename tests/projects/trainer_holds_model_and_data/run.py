from tensorflow import keras

from nets import wide_mlp
from trainer import Trainer

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
x_train = x_train.reshape(len(x_train), -1) / 255.0
x_test = x_test.reshape(len(x_test), -1) / 255.0

trainer = Trainer(wide_mlp(10), x_train, y_train.ravel(), x_test, y_test.ravel())
trainer.smoke_test()
trainer.fit(epochs=10)
print(trainer.validation_accuracy())
