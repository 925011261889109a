from features import make_features
from networks import RegressionNet

x_train = make_features(50_000)
y_train = x_train.sum(axis=1)
net = RegressionNet()
net.compile(optimizer="adam", loss="mse")
net.fit(x_train, y_train, epochs=2, batch_size=256)

fitted = net(x_train)
preview = net(x_train[:100])
scores = net.predict(x_train, batch_size=1024)
