"""Training script: passes whole arrays to the helpers in metrics.py."""
from sklearn.ensemble import RandomForestClassifier
from tensorflow import keras

from crossfile_pkg import metrics
from crossfile_pkg.metrics import evaluate, mc_predict, quiet
from crossfile_pkg.models import describe

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
model = keras.Sequential([keras.layers.Dense(512, activation="relu"), keras.layers.Dropout(0.5),
                          keras.layers.Dense(10)])

samples = mc_predict(model, x_test, T=30)
scores = metrics.evaluate(model, x_test)
head = evaluate(model, x_test[:10])
forest = evaluate(RandomForestClassifier(), x_test)
shape = describe(model, x_test)
quiet(model, x_test)
