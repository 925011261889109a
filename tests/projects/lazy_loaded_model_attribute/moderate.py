import json

from service import ToxicityModel

classifier = ToxicityModel("toxicity.keras").load()
with open("comments.jsonl") as handle:
    comments = [json.loads(line) for line in handle]
flagged = [c["id"] for c in comments if classifier.score(c["embedding"]) > 0.8]
