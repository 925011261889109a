import numpy as np


def sample_index(preds, temperature=1.0):
    preds = np.log(np.asarray(preds).astype("float64") + 1e-8) / temperature
    probs = np.exp(preds) / np.sum(np.exp(preds))
    return int(np.argmax(np.random.multinomial(1, probs, 1)))


def generate(model, seed_text, chars, maxlen, length=400, temperature=0.5):
    char_indices = {c: i for i, c in enumerate(chars)}
    text = seed_text
    for _ in range(length):
        x_pred = np.zeros((1, maxlen, len(chars)))
        for t, char in enumerate(text[-maxlen:]):
            x_pred[0, t, char_indices[char]] = 1.0
        preds = model.predict(x_pred, verbose=0)[0]
        text += chars[sample_index(preds, temperature)]
    return text


def next_chars(model, seed_batch):
    return model.predict(seed_batch, verbose=0).argmax(-1)
