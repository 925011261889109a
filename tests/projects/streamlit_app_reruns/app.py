import numpy as np
import streamlit as st
from PIL import Image
from tensorflow.keras.models import load_model

from classify import predict

detector = load_model("detector.h5")  # no cache: loaded again on every rerun
uploaded = st.file_uploader("Choose an image")
if uploaded is not None and st.button("predict"):
    image = np.asarray(Image.open(uploaded).resize((32, 32))) / 255.0
    st.write(predict(image))
