from flask import Flask, jsonify, request

from inference import classify, classify_many

app = Flask(__name__)


@app.route("/classify", methods=["POST"])
def classify_digit():
    return jsonify({"digit": classify(request.json["pixels"])})


if __name__ == "__main__":
    print(classify_many([[0.0] * 784] * 16))
    app.run()
