import numpy as np

from model import load_embedder

embedder = load_embedder()
sentences = np.load("sentence_vectors.npy")
embeddings = list(map(lambda v: embedder.predict(v[None], verbose=0)[0], sentences))
batched = embedder.predict(sentences, batch_size=256, verbose=0)
