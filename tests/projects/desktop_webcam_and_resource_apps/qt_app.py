import sys

import cv2
import numpy as np
from PyQt5.QtWidgets import QApplication, QPushButton, QWidget

from classifier import model


class Window(QWidget):
    def __init__(self):
        super().__init__()
        self.button = QPushButton("Classify", self)
        self.button.clicked.connect(self.classify)

    def classify(self):
        image = cv2.resize(cv2.imread("shot.png"), (64, 64)) / 255.0
        print(model.predict(image.reshape(1, 64, 64, 3)))

    def report(self):
        # never connected: nothing calls it
        print(model.predict(np.zeros((1, 64, 64, 3))))


app = QApplication(sys.argv)
window = Window()
window.show()
app.exec_()
