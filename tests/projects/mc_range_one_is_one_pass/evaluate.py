import numpy as np
import tf_keras as keras

from net import dropout_classifier

N_SAMPLES = 1

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_test = x_test.reshape(10_000, 784).astype("float32") / 255
model = dropout_classifier()

samples = [model(x_test[:500], training=True).numpy() for _ in range(N_SAMPLES)]
mean = np.mean(samples, axis=0)

full = [model(x_test, training=True).numpy() for _ in range(N_SAMPLES)]
