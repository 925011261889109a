import pandas as pd

COLUMNS = ["sqft", "bedrooms", "bathrooms", "year_built", "lot_size"]


def load_listings(path="listings.csv"):
    return pd.read_csv(path)[COLUMNS]
