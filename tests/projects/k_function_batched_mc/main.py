import tensorflow as tf

from mc import features_batched, mc_predict_batched
from model import mc_cnn

(_, _), (x_test, _) = tf.keras.datasets.cifar10.load_data()
x_test = x_test / 255.0
model = mc_cnn()
samples = mc_predict_batched(model, x_test)
features = features_batched(model, x_test)
