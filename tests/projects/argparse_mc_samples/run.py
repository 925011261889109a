import numpy as np

from model import mc_dropout_mlp
from options import parse_args

args = parse_args()
x_test = np.load("x_test.npy")
model = mc_dropout_mlp()
model.load_weights(args.weights)

samples = np.stack([model(x_test, training=True).numpy() for _ in range(args.mc_samples)])
np.save("samples.npy", samples)
