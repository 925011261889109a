import numpy as np

from utils import load_classifier


def score_rows(model, rows):
    scores = []
    for row in rows:
        scores.append(model.predict(row[None], verbose=0)[0])
    return scores


def main():
    model = load_classifier("best.keras")
    x_test = np.load("x_test.npy")
    per_row = score_rows(model, x_test[:500])
    all_rows = model.predict(x_test, batch_size=512)
    few = score_rows(model, x_test[:3])
    return per_row, all_rows, few


main()
