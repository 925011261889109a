import numpy as np

from generate import greedy, score_prompts
from lm import word_model

model = word_model(5_000, 20)
model.load_weights("lm.weights.h5")
print(greedy(model, [1, 2, 3], 20))
print(score_prompts(model, np.random.randint(0, 5_000, size=(32, 20))))
