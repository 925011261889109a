from loader import CifarLoader
from model import classifier

loader = CifarLoader("data/cifar")
model = classifier()
x, y = loader.test_set()
logits = model(x)
debug_logits = model(loader.x_debug)
