import tf_keras as keras

encoder = keras.Sequential([
    keras.layers.Dense(2048, activation="relu"),
    keras.layers.Dense(2048, activation="relu"),
    keras.layers.Dense(64),
])
encoder.load_weights("encoder.h5")
