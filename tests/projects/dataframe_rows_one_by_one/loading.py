import pandas as pd

FEATURES = ["age", "income", "balance", "tenure"]


def load_customers(path):
    frame = pd.read_csv(path)
    return frame[FEATURES], frame["churned"]
