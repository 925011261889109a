import numpy as np

from cnn import conv_net
from mc import mc_predict

images = np.random.rand(64, 32, 32, 3).astype("float32")
with_bn = mc_predict(conv_net(), images)
