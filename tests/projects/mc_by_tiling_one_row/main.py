import tf_keras as keras

from model import flipout_classifier
from uncertainty import per_batch_samples, per_image_samples

(_, _), (x_test, _) = keras.datasets.cifar10.load_data()
model = flipout_classifier()
tiled = per_image_samples(model, x_test / 255.0)
batched = per_batch_samples(model, x_test / 255.0)
