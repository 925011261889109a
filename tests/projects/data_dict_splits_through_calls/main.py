from data import get_splits
from evaluate import peek, report
from model import make_model

splits = get_splits()
model = make_model()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(*splits["train"], epochs=2, batch_size=256)
print(report(model, splits["test"]))
print(peek(model, splits["sample"]))
