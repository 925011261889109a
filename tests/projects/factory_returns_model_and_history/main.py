import numpy as np
import pandas as pd

from training import train_model

train = pd.read_parquet("train.parquet")
test = pd.read_parquet("test.parquet")
x_train, y_train = train.drop(columns="target").to_numpy("float32"), train["target"].to_numpy()
x_test = test.drop(columns="target").to_numpy("float32")

model, history = train_model(x_train, y_train)
test_probs = model(x_test).numpy().ravel()
head_probs = model(x_test[:100]).numpy().ravel()
print(history.history["val_accuracy"][-1], np.mean(test_probs > 0.5))
