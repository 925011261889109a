import numpy as np

from model import load_scorer
from stream import read_rows


def score_stream(model, path):
    out = []
    for record in read_rows(path):
        x = np.asarray(record, dtype="float32")
        out.append(model.predict(x.reshape(1, -1), verbose=0))
    return out


def score_table(model, table):
    out = []
    for i in range(len(table)):
        out.append(model.predict(table[i:i + 1], verbose=0))
    return out


def score_vectors(model, vectors):
    first = [model.predict(v[None], verbose=0) for v in vectors]
    second = [model.predict(np.expand_dims(v, 0), verbose=0) for v in vectors]
    third = [model.predict(v[np.newaxis], verbose=0) for v in vectors]
    return first, second, third


def score_all(model, table):
    return model.predict(table, batch_size=1024, verbose=0)


model = load_scorer()
table = np.load("table.npy")
score_stream(model, "rows.csv")
score_table(model, table)
score_vectors(model, table)
score_all(model, table)
