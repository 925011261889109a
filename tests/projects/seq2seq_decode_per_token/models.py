from tensorflow import keras

LATENT_DIM = 256


def inference_models(model):
    encoder_inputs = model.input[0]
    _, state_h_enc, state_c_enc = model.layers[2].output
    encoder_model = keras.Model(encoder_inputs, [state_h_enc, state_c_enc])

    decoder_inputs = model.input[1]
    state_h = keras.Input(shape=(LATENT_DIM,))
    state_c = keras.Input(shape=(LATENT_DIM,))
    decoder_lstm = model.layers[3]
    outputs, h, c = decoder_lstm(decoder_inputs, initial_state=[state_h, state_c])
    outputs = model.layers[4](outputs)
    decoder_model = keras.Model([decoder_inputs, state_h, state_c], [outputs, h, c])
    return encoder_model, decoder_model
