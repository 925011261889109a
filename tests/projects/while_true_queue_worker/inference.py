import tensorflow as tf


class SentimentService:
    def __init__(self, path):
        self.model = tf.keras.models.load_model(path)

    def score(self, token_ids):
        padded = tf.keras.preprocessing.sequence.pad_sequences([token_ids], maxlen=200)
        return float(self.model.predict(padded, verbose=0)[0, 0])

    def score_batch(self, batch_ids):
        padded = tf.keras.preprocessing.sequence.pad_sequences(batch_ids, maxlen=200)
        return self.model.predict(padded, batch_size=128, verbose=0)[:, 0]
