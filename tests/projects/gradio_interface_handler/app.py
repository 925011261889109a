import gradio as gr
import numpy as np

from model_utils import load_classifier, preprocess

LABELS = ["daisy", "dandelion", "rose", "sunflower", "tulip"]
model = load_classifier()


def classify(image):
    probs = model.predict(np.expand_dims(preprocess(image), 0), verbose=0)[0]
    return {label: float(p) for label, p in zip(LABELS, probs)}


demo = gr.Interface(fn=classify, inputs=gr.Image(), outputs=gr.Label(num_top_classes=3))
demo.launch()
