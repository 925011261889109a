import numpy as np
import tensorflow as tf


def greedy(model, prompt_ids, seq_len, n_words=200):
    ids = list(prompt_ids)
    for _ in range(n_words):
        window = np.array(ids[-seq_len:])[None, :]
        logits = model(window, training=False)
        ids.append(int(tf.argmax(logits[0])))
    return ids


def score_prompts(model, prompts):
    return model.predict(np.array(prompts), batch_size=64, verbose=0)
