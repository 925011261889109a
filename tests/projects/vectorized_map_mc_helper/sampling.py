import tensorflow as tf


def vectorised_samples(model, x, n_samples):
    return tf.vectorized_map(lambda _: model(x, training=True), tf.range(n_samples))


def mapped_samples(model, x, n_samples):
    return tf.map_fn(lambda _: model(x, training=True), tf.range(n_samples), fn_output_signature=tf.float32)


def per_row(model, x):
    return tf.vectorized_map(lambda row: model(row[None], training=True), x)
