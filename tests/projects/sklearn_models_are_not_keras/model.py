import joblib
from sklearn.ensemble import RandomForestClassifier


def get_model():
    return RandomForestClassifier(n_estimators=200)


def load_model(path="forest.joblib"):
    return joblib.load(path)
