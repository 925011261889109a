import numpy as np

from cnn import conv_net_without_bn

images = np.random.rand(64, 32, 32, 3).astype("float32")
model = conv_net_without_bn()
samples = np.stack([model(images, training=True).numpy() for _ in range(25)])
