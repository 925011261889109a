# a notebook exported as a script: everything comes in through star imports
import numpy as np
from scipy.io import loadmat

from models.models import get_generator
from utils import *
from net import *

mat = loadmat("soft_sensor.mat")
x_test = normalize(mat["Xtest"])

network = net(0.1, x_test.shape[1])
mean, std = network.mc_predict(x_test, 100)
head_mean, head_std = network.mc_predict(x_test[:200], 100)

generator = get_generator()
first = generator.predict(np.random.normal(size=(16, 100)))
while True:
    preview = generator.predict(np.random.normal(size=(16, 100)))
