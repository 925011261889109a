from model import two_moons_classifier
from plots import plot_boundary, plot_boundary_batched

model = two_moons_classifier()
model.load_weights("moons.weights.h5")
plot_boundary(model)
plot_boundary_batched(model)
