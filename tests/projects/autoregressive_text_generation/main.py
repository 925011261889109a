import numpy as np

from charrnn import char_model
from sampling import generate, next_chars

chars = sorted(set(open("nietzsche.txt").read()))
maxlen = 40
model = char_model(maxlen, len(chars))
model.load_weights("charrnn.h5")

for temperature in [0.2, 1.0]:
    print(generate(model, "the meaning of life is not a question of ", chars, maxlen, temperature=temperature))
print(next_chars(model, np.zeros((128, maxlen, len(chars)))))
