"""TFB103 -> stop_recording: a validation pass inside a GradientTape whose result no gradient needs."""
# fixeq: expects TFB103
import numpy as np
import tensorflow as tf
import tf_keras as keras

from result_recorder import record

x_train = np.random.rand(64, 8).astype("float32")
y_train = np.random.rand(64, 1).astype("float32")
x_val = np.random.rand(32, 8).astype("float32")
model = keras.Sequential([keras.layers.Dense(16, activation="relu", input_shape=(8,)), keras.layers.Dense(1)])
optimizer = keras.optimizers.SGD(0.1)
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(tf.square(model(x_train, training=True) - y_train))
    val_pred = model(x_val, training=False)
grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
record("loss", loss)
record("val_pred", val_pred)
record("grads", grads)
record("kernel_after_step", model.layers[0].kernel)
