import tkinter as tk

import numpy as np

from classifier import model

root = tk.Tk()
entry = tk.Entry(root)


def on_send():
    features = np.array([float(part) for part in entry.get().split(",")], dtype="float32")
    print(model.predict(features[None]))


def on_start():
    # run once when the window opens, not bound to any widget
    print(model.predict(np.zeros((1, 16), dtype="float32")))


tk.Button(root, text="Send", command=on_send).pack()
on_start()
root.mainloop()
