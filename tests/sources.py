"""Source files the command-line tests lint."""

import textwrap

# TFB101 at 6:9 (fixable to predict) and TFB102 at 8:11 (fixable to a direct call).
BAD = textwrap.dedent("""\
    import numpy as np
    import tensorflow as tf

    x_test = np.zeros((10_000, 32), dtype="float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1024), tf.keras.layers.Dense(10)])
    probs = model(x_test).numpy()
    for i in range(200):
        row = model.predict(x_test[i][None])
""")
