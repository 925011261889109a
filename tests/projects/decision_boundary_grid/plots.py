import matplotlib.pyplot as plt
import numpy as np


def plot_boundary(model, steps=50):
    xs = np.linspace(-2, 3, steps)
    ys = np.linspace(-1.5, 2, steps)
    grid = [[float(model.predict(np.reshape(np.array([a, b]), (1, 2)), verbose=0)[0, 0]) for a in xs] for b in ys]
    plt.contourf(xs, ys, grid)


def plot_boundary_batched(model, steps=50):
    xs, ys = np.meshgrid(np.linspace(-2, 3, steps), np.linspace(-1.5, 2, steps))
    points = np.c_[xs.ravel(), ys.ravel()]
    plt.contourf(xs, ys, model.predict(points, batch_size=1024, verbose=0).reshape(xs.shape))
