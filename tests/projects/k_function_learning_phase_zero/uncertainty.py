import numpy as np
from tensorflow.keras import backend as K


def mc_samples(model, x, n_samples=30, phase=0):
    f = K.function([model.input, K.learning_phase()], [model.output])
    return np.stack([f([x, phase])[0] for _ in range(n_samples)])
