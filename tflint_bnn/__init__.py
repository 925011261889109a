"""tflint-bnn: find and fix TensorFlow/Keras code that runs out of memory or wastes time at inference."""

__version__ = "0.1.0"
