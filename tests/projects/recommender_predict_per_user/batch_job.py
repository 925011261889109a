import pandas as pd

from recommender import Recommender

recommender = Recommender("models/ncf.keras", n_items=5_000)
active_users = pd.read_csv("active_users.csv")["user_id"].tolist()
recommendations = {user: recommender.predict(user) for user in active_users}
