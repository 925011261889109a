import pandas as pd

from classifier import FraudClassifier

frame = pd.read_csv("transactions.csv")
features = frame.drop(columns=["label"]).to_numpy("float32")
labels = frame["label"].to_numpy()

clf = FraudClassifier(features.shape[1])
clf.train(features, labels)
all_scores = clf.score_all(features)
first_score = clf.score_one(features[0])
