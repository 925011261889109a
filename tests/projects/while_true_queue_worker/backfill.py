import json

from inference import SentimentService

service = SentimentService("models/sentiment.keras")
with open("reviews.jsonl") as handle:
    reviews = [json.loads(line) for line in handle]
scores = service.score_batch([review["tokens"] for review in reviews])
