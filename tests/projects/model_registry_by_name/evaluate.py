import tf_keras as keras

from architectures import create

(_, _), (x_test, y_test) = keras.datasets.mnist.load_data()
x_test = x_test.reshape(10_000, 784) / 255.0

big = create("mlp")
big_logits = big(x_test)

small = create("tiny")
small_logits = small(x_test)
