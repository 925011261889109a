import numpy as np
import tensorflow as tf

from bnn import dropout_cnn, stochastic_predictor

(_, _), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
x_test = x_test[..., None] / 255.0
model = dropout_cnn()
predict_stochastic = stochastic_predictor(model)

test_probs = np.array([predict_stochastic([x_test, 1])[0] for _ in range(50)])
one_digit = np.array([predict_stochastic([x_test[:1], 1])[0] for _ in range(50)])
