import numpy as np

from model import stateful_char_rnn

vocab = sorted(set(open("input.txt").read()))
model = stateful_char_rnn(len(vocab))
model.load_weights("char_rnn.weights.h5")

model.reset_states()
index = 0
text = []
for _ in range(2_000):
    probs = model.predict_on_batch(np.array([[index]]))[0]
    index = int(np.random.choice(len(vocab), p=probs))
    text.append(vocab[index])
print("".join(text))
