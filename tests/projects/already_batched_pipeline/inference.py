import tensorflow as tf

from data import test_arrays, test_dataset
from model import build

model = build()


@tf.function
def forward(batch):
    return model(batch, training=False)


def mc_mean(x, n_samples=20, batch_size=512):
    means = []
    for start in range(0, len(x), batch_size):
        batch = x[start:start + batch_size]
        draws = [model(batch, training=True) for _ in range(n_samples)]
        means.append(tf.reduce_mean(draws, axis=0))
    return tf.concat(means, axis=0)


outputs = [forward(batch) for batch in test_dataset()]
predictions = model.predict(test_arrays(), batch_size=1024, verbose=0)
uncertain = mc_mean(test_arrays())
