import numpy as np


def logits_for(model, features):
    return model(features)


def accuracy(model, features, labels):
    probs = logits_for(model, features)
    return float(np.mean(np.argmax(probs, axis=1) == labels))


def report(model, split):
    features, labels = split
    return {"accuracy": accuracy(model, features, labels)}


def peek(model, split):
    features, _ = split
    return model(features)
