import numpy as np
from django.http import JsonResponse
from PIL import Image
from rest_framework.decorators import api_view
from rest_framework.views import APIView
from tensorflow import keras

model = keras.applications.MobileNetV2(weights="imagenet")  # once, when the server imports the views


def run_predict(upload):
    image = np.asarray(Image.open(upload).convert("RGB").resize((224, 224)), dtype="float32")
    return model.predict(np.expand_dims(image, axis=0))


async def predict(request):
    return JsonResponse({"result": int(run_predict(request.FILES["file"]).argmax())})


def report(request):
    # a nightly report scores 5,000 archived images: predict batches them itself
    archive = np.load("archive.npy")[:5000]
    return JsonResponse({"mean": float(model.predict(archive).mean())})


class ClassifyView(APIView):
    def post(self, request):
        image = np.asarray(Image.open(request.FILES["file"]).resize((224, 224)), dtype="float32")
        return JsonResponse({"label": int(model.predict(image[None]).argmax())})

    def describe(self):
        # not an HTTP verb: Django never calls it per request, and nothing here does
        return model.predict(np.zeros((1, 224, 224, 3), dtype="float32"))


@api_view(["POST"])
def retrain(request):
    candidate = keras.models.load_model("candidate.keras")
    return JsonResponse({"parameters": candidate.count_params()})


def load_reference():
    # called once, by the management command: not a view
    reference = keras.models.load_model("reference.keras")
    return reference.count_params()
