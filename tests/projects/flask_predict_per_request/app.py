import numpy as np
from flask import Flask, jsonify, request

from model_store import get_model

app = Flask(__name__)
model = get_model()
model.predict(np.zeros((1, 12), dtype="float32"), verbose=0)  # warm-up at start-up, once


@app.route("/predict", methods=["POST"])
def predict():
    features = np.array(request.json["features"], dtype="float32").reshape(1, -1)
    churn = float(model.predict(features, verbose=0)[0, 0])
    return jsonify({"churn": churn})


@app.route("/health")
def health():
    return jsonify({"status": "ok"})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
