import numpy as np


def decode_sequence(encoder_model, decoder_model, input_seq, num_tokens, start_index, stop_index, max_len):
    states = encoder_model.predict(input_seq, verbose=0)
    target_seq = np.zeros((1, 1, num_tokens))
    target_seq[0, 0, start_index] = 1.0
    decoded = []
    stop_condition = False
    while not stop_condition:
        output_tokens, h, c = decoder_model.predict([target_seq] + states, verbose=0)
        sampled = int(np.argmax(output_tokens[0, -1, :]))
        decoded.append(sampled)
        if sampled == stop_index or len(decoded) > max_len:
            stop_condition = True
        target_seq = np.zeros((1, 1, num_tokens))
        target_seq[0, 0, sampled] = 1.0
        states = [h, c]
    return decoded
