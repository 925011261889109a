import numpy as np

from extractor import penultimate_features
from model import build_classifier

x_train = np.load("train_features.npy")
model = build_classifier()
model.load_weights("classifier.weights.h5")
features_of = penultimate_features(model)

train_embeddings = features_of([x_train])[0]
first_batch = features_of([x_train[:512]])[0]
per_batch = np.concatenate([features_of([x_train[i:i + 512]])[0] for i in range(0, len(x_train), 512)])
