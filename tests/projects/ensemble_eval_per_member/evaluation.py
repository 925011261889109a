import numpy as np


def member_predictions(member, features):
    return member(features).numpy()


def batched_predictions(member, features):
    return member.predict(features, batch_size=512, verbose=0)


def ensemble_mean(members, features):
    return np.mean([member_predictions(m, features) for m in members], axis=0)


def ensemble_mean_batched(members, features):
    return np.mean([batched_predictions(m, features) for m in members], axis=0)
