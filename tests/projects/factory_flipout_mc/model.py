"""A Bayesian CNN for MNIST: every call draws new Flipout weight perturbations."""
import tf_keras as keras
import tensorflow_probability as tfp


def get_model(num_classes=10):
    model = keras.Sequential([
        keras.layers.Reshape((28, 28, 1), input_shape=(28, 28)),
        tfp.layers.Convolution2DFlipout(32, kernel_size=3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        tfp.layers.DenseFlipout(512, activation="relu"),
        tfp.layers.DenseFlipout(num_classes),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model
