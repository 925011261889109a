from fastapi import FastAPI
from pydantic import BaseModel

from predictor import Predictor

app = FastAPI()
predictor = Predictor("models/house_prices.keras")


class House(BaseModel):
    features: list


@app.post("/price")
def price(house: House):
    return {"price": float(predictor.predict_one(house.features)[0])}
