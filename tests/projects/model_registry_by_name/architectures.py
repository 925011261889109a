import tf_keras as keras


def mlp(width=1024):
    return keras.Sequential([keras.layers.Dense(width, activation="relu"), keras.layers.Dense(10)])


def tiny(width=16):
    return keras.Sequential([keras.layers.Dense(width, activation="relu"), keras.layers.Dense(10)])


REGISTRY = {"mlp": mlp, "tiny": tiny}


def create(name, **kwargs):
    return REGISTRY[name](**kwargs)
