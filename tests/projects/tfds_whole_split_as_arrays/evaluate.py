from tensorflow import keras

from data import batched_test_split, whole_test_split

model = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(2048, activation="relu"), keras.layers.Dense(10)])
model.load_weights("mnist.weights.h5")

images, labels = whole_test_split()
logits = model(images)

batched_logits = [model(batch) for batch, _ in batched_test_split()]
