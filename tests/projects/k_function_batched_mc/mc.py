import numpy as np
from tensorflow.keras import backend as K


def mc_predict_batched(model, x, n_samples=50, batch_size=256):
    f = K.function([model.input, K.learning_phase()], [model.output])
    chunks = []
    for start in range(0, len(x), batch_size):
        batch = x[start:start + batch_size]
        chunks.append(np.stack([f([batch, 1])[0] for _ in range(n_samples)]))
    return np.concatenate(chunks, axis=1)


def features_batched(model, x, batch_size=512):
    g = K.function([model.input], [model.layers[-2].output])
    return np.concatenate([g([x[i:i + batch_size]])[0] for i in range(0, len(x), batch_size)])
