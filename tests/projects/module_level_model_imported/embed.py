import numpy as np

from models import encoder

corpus = np.load("corpus_vectors.npy")
embeddings = encoder(corpus)
np.save("embeddings.npy", embeddings)
