import numpy as np
from tensorflow.keras import backend as K


def mc_dropout_predict(model, x, n_iter=100):
    f = K.function([model.input, K.learning_phase()], [model.output])
    results = []
    for _ in range(n_iter):
        results.append(f([x, 1])[0])
    return np.array(results)
