import json

import redis

from inference import SentimentService

service = SentimentService("models/sentiment.keras")
queue = redis.Redis()

while True:
    _, payload = queue.blpop("reviews")
    message = json.loads(payload)
    queue.set(message["id"], service.score(message["tokens"]))
