import numpy as np

from data import load_mnist
from model import get_model

(train_imgs, train_labels), (test_imgs, test_labels) = load_mnist()
model = get_model()
model.fit(train_imgs, train_labels, epochs=5, batch_size=128)

# 50 Monte Carlo passes, each over all 10,000 test images at once.
preds = []
for _ in range(50):
    preds.append(model(test_imgs))
probs = np.stack(preds)

# Same loop over a 256-image sample: one small batch per pass.
sample = test_imgs[:256]
sample_preds = []
for _ in range(50):
    sample_preds.append(model(sample))
