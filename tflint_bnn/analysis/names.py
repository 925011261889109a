"""Normalise fully qualified names so that every import spelling of Keras, TF, TFP and numpy compares equal."""

from __future__ import annotations

from typing import Iterable, Optional

# Longest first: `tensorflow.keras.` must win over `tensorflow.`.
_KERAS_ROOTS = (
    "tensorflow.python.keras.",
    "tensorflow.keras.",
    "tf_keras.src.",
    "tf_keras.",
    "keras.src.",
    "keras.api.",
    "keras._tf_keras.keras.",
    "keras.",
)
_TFP_ROOTS = ("tensorflow_probability.python.", "tensorflow_probability.substrates.numpy.", "tensorflow_probability.")


def keras_tail(qualified: str) -> Optional[str]:
    """`tf.keras.layers.Dense` (any spelling) -> `layers.Dense`; None when not a Keras name."""
    for root in _KERAS_ROOTS:
        if qualified.startswith(root):
            return qualified[len(root):]
    return None


def keras_flavour(qualified: str) -> str:
    """'keras3' for the standalone Keras 3 package, 'tensorflow' for tf.keras / tf_keras (both run on TF ops)."""
    return "keras3" if qualified.startswith("keras.") else "tensorflow"


def tfp_tail(qualified: str) -> Optional[str]:
    """`tfp.layers.DenseFlipout` (any spelling) -> `layers.DenseFlipout`; None when not a TFP name."""
    for root in _TFP_ROOTS:
        if qualified.startswith(root):
            return qualified[len(root):]
    return None


def tf_tail(qualified: str) -> Optional[str]:
    """`tensorflow.random.normal` -> `random.normal`; Keras names are not TF core names."""
    if keras_tail(qualified) is not None or not qualified.startswith("tensorflow."):
        return None
    return qualified[len("tensorflow."):]


def module_tail(qualified: str, module: str) -> Optional[str]:
    prefix = module + "."
    return qualified[len(prefix):] if qualified.startswith(prefix) else None


def first_tail(qualified_names: Iterable[str], tail_of) -> Optional[str]:
    for name in sorted(qualified_names):
        tail = tail_of(name)
        if tail is not None:
            return tail
    return None


def last_part(dotted: str) -> str:
    return dotted.rsplit(".", 1)[-1]


# The module each Keras package is imported as (longest first), and the package it names:
# "keras" (standalone Keras 3), "tf.keras" (Keras 3 on TF >= 2.16 unless TF_USE_LEGACY_KERAS=1), "tf_keras".
_PACKAGE_PREFIXES = (("tensorflow.python.keras", "tf.keras"), ("tensorflow.keras", "tf.keras"),
                     ("tf_keras", "tf_keras"), ("keras", "keras"))


def keras_package(qualified: str) -> Optional[str]:
    """`tensorflow.keras.layers.Dense` -> "tf.keras"; None when the name is not Keras."""
    for module, package in _PACKAGE_PREFIXES:
        if qualified == module or qualified.startswith(module + "."):
            return package
    return None
