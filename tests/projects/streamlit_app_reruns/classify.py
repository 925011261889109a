import numpy as np
import streamlit as st
from tensorflow.keras.models import load_model


@st.cache_resource
def get_model():
    return load_model("cifar_cnn.h5")  # once: Streamlit keeps the result across reruns


def predict(image):
    model = get_model()
    batch = np.reshape(image, (1, 32, 32, 3))
    return int(np.argmax(model.predict(batch, verbose=0)))


labels = load_model("labels.h5")  # module level of an imported module: runs once, at the first import
