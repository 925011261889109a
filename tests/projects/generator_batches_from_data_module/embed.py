import numpy as np

from data import batches, load_features
from model import embedder

features = load_features()
model = embedder()

small = np.concatenate([model(batch).numpy() for batch in batches(features, 256)])
huge = np.concatenate([model(batch).numpy() for batch in batches(features, 40_000)])
