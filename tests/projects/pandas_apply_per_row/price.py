import tensorflow as tf

from features import load_listings

model = tf.keras.models.load_model("price_model.keras")
listings = load_listings()

listings["price"] = listings.apply(lambda row: float(model.predict(row.values[None], verbose=0)[0, 0]), axis=1)
listings["price_batched"] = model.predict(listings.values, batch_size=1024, verbose=0)[:, 0]
