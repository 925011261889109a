from tensorflow import keras

model = keras.models.load_model("classifier.keras")  # once, at import

PREPROCESS = {
    "vgg16": keras.applications.vgg16.preprocess_input,
    "resnet50": keras.applications.resnet50.preprocess_input,
}
