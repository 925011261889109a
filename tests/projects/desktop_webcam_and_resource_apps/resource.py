import numpy as np
from flask import Flask, request
from flask_restful import Api, Resource
from PIL import Image

from classifier import model

app = Flask(__name__)
api = Api(app)


class Predict(Resource):
    def post(self):
        image = np.asarray(Image.open(request.files["image"]).resize((224, 224)), dtype="float32")
        return {"label": int(model.predict(np.expand_dims(image, 0)).argmax())}

    def describe(self):
        # not an HTTP verb: flask-restful never calls it
        return model.predict(np.zeros((1, 224, 224, 3), dtype="float32")).shape


api.add_resource(Predict, "/predict")
