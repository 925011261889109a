import numpy as np
import tensorflow as tf

from model import load_ranker

ranker = load_ranker()
candidates = np.load("candidates.npy")

scores_a = [ranker.predict(np.array([features]), verbose=0) for features in candidates]
scores_b = [ranker.predict(tf.constant([features]), verbose=0) for features in candidates]
scores_c = [ranker.predict(np.asarray([features], dtype="float32"), verbose=0) for features in candidates]
scores_all = ranker.predict(np.array(list(candidates)), batch_size=512, verbose=0)
