import glob
import os

import numpy as np
import tensorflow as tf

from preprocessing import load_image

model = tf.keras.applications.MobileNetV2(weights="imagenet")

results = {}
for path in glob.glob(os.path.join("photos", "*.jpg")):
    image = load_image(path)
    scores = model.predict(np.expand_dims(image, axis=0), verbose=0)
    results[path] = int(scores.argmax())

examples = ["examples/cat.jpg", "examples/dog.jpg"]
for path in examples:
    print(path, model.predict(load_image(path)[None], verbose=0).argmax())
