import numpy as np

from models import encoder


def embed_query(vector):
    return encoder(np.expand_dims(vector, 0))


def embed_queries(vectors):
    return encoder.predict(vectors, batch_size=256)
