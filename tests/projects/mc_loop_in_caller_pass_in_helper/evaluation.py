def stochastic_forward(model, x):
    return model(x, training=True).numpy()


def deterministic_forward(model, x):
    return model.predict(x, batch_size=256, verbose=0)
