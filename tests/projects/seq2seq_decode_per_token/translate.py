import numpy as np
from tensorflow import keras

from decode import decode_sequence
from models import inference_models

model = keras.models.load_model("s2s.keras")
encoder_model, decoder_model = inference_models(model)
encoder_input_data = np.load("encoder_input.npy")

for seq_index in range(100):
    input_seq = encoder_input_data[seq_index:seq_index + 1]
    print(decode_sequence(encoder_model, decoder_model, input_seq, 93, 0, 1, 60))
