import numpy as np
from tqdm import tqdm, trange

from net import dropout_net

x_test = np.random.rand(25_000, 40).astype("float32")
model = dropout_net()
model.load_weights("net.h5")

row_preds = []
for i in trange(len(x_test[:2_000]), desc="rows"):
    row_preds.append(model.predict(x_test[i:i + 1], verbose=0))

mc = []
for _ in tqdm(range(30), desc="mc samples"):
    mc.append(model(x_test, training=True).numpy())

batched = []
for start in tqdm(range(0, len(x_test), 256)):
    batched.append(model(x_test[start:start + 256], training=False).numpy())
