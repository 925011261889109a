import tensorflow as tf

optimizer = tf.keras.optimizers.SGD()


@tf.function
def train_step(model, x, y, learning_rate):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x, training=True) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    for grad, var in zip(grads, model.trainable_variables):
        var.assign_sub(learning_rate * grad)
    return loss
