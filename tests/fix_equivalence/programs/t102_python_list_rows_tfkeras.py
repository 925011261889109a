"""TFB102 on predict fed one row as Python lists of numbers (`[[f1, f2, ...]]` literal, `[tokens]` of token ids),
once per iteration. tf_keras's predict converts the nested list to a (1, n) array; a direct call reads the list as
one input per number and raises, so the finding must come with no fix."""
# fixeq: expects TFB102
import numpy as np
import tf_keras as keras

from result_recorder import record

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)])
literal = [model.predict([[0.1 * step, 1.0, 2.0]], verbose=0) for step in range(120)]
tokens = [1, 2, 3]
generated = []
for step in range(120):
    scores = model.predict([tokens], verbose=0)
    generated.append(scores)
    tokens = tokens[1:] + [int(np.argmax(scores)) % 5]
record("literal", literal)
record("generated", generated)
