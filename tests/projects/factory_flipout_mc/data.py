import tf_keras as keras


def load_mnist():
    (train_imgs, train_labels), (test_imgs, test_labels) = keras.datasets.mnist.load_data()
    return (train_imgs / 255.0, train_labels), (test_imgs / 255.0, test_labels)
