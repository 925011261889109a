import sys

import cv2
import numpy as np

from classifier import PREPROCESS, model

capture = cv2.VideoCapture(0)
while capture.isOpened():
    ok, frame = capture.read()
    if not ok:
        break
    face = cv2.cvtColor(frame[40:264, 40:264], cv2.COLOR_BGR2RGB)
    print(model.predict(PREPROCESS[sys.argv[1]](face.reshape(-1, 224, 224, 3))))

archive = np.load("frames.npy")
for start in range(0, 60000, 5000):
    # 12 batches of 5,000 frames: predict batches them itself
    print(model.predict(archive[start:start + 5000]))
