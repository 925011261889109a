from data import load_splits
from mc import mc_samples
from model import build

splits = load_splits()
model = build()
model.compile(optimizer="adam", loss="mse")
model.fit(splits.x_train, splits.y_train, epochs=10, batch_size=64)
val_draws = mc_samples(model, splits.x_val)
print(val_draws.shape)
train_draws = mc_samples(model, splits.x_train)
