import tensorflow as tf

from loading import load_customers

model = tf.keras.models.load_model("churn.keras")
features, labels = load_customers("customers.csv")

row_scores = []
for _, row in features.iterrows():
    row_scores.append(model.predict(row.values.reshape(1, -1), verbose=0)[0, 0])

by_position = [model.predict(features.iloc[i:i + 1].values, verbose=0) for i in range(len(features))]
all_scores = model.predict(features.values, batch_size=1024, verbose=0)
