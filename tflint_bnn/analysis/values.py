"""Abstract values the evaluator assigns to expressions. Anything it cannot prove stays None ("unknown")."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional, Tuple


@dataclass(frozen=True)
class Rows:
    """An array-like value with `count` rows along axis 0.

    `loaded` marks a full read from disk (np.load, pd.read_csv, h5py [:]) whose size is unknown statically.
    `origin` names where the size comes from, for messages ("keras.datasets.mnist test split").
    """

    count: Optional[int] = None
    loaded: bool = False
    origin: str = ""

    def with_count(self, count: Optional[int]) -> "Rows":
        return replace(self, count=count, loaded=self.loaded and count is None)


@dataclass(frozen=True)
class Int:
    value: int


@dataclass(frozen=True)
class Shape:
    """`x.shape` of an array with known rows: only `shape[0]` is known."""

    rows: Rows


@dataclass(frozen=True)
class Seq:
    """A tuple or list whose items have values (load_data() results, tuple literals)."""

    items: Tuple[object, ...]


@dataclass(frozen=True)
class RandomGenerator:
    """np.random.default_rng(...): its draw methods take shapes like numpy's constructors."""


@dataclass(frozen=True)
class H5Node:
    """An h5py File or Dataset: reading it with [:] or [()] loads the whole array."""


@dataclass(frozen=True)
class LayerInfo:
    """What a Keras/TFP layer does to memory and randomness."""

    name: str
    dropout_like: bool = False  # random only in training mode (Dropout, GaussianNoise, ...)
    always_random: bool = False  # random on every call (tfp variational layers, Dropout forced to training)
    batchnorm: bool = False
    distribution: bool = False  # returns a tfp Distribution (DistributionLambda and friends)
    units: Optional[int] = None
    known: bool = True  # False for custom layers whose behaviour is not visible
    shared_mask: bool = False  # dropout with a noise_shape: one mask may be shared by the rows of a batch
    tfp: bool = False  # a tensorflow_probability layer: a tf_keras layer, which Keras 3 models reject


@dataclass(frozen=True)
class ModelInfo:
    """A Keras model (or a callable wrapping one) and what is visible of its layers."""

    kind: str = "keras"  # "keras", "tf.function", "backend.function"
    layers: Tuple[LayerInfo, ...] = field(default_factory=tuple)
    layers_visible: bool = False  # every layer is known (Sequential literal, traced functional graph)
    outputs: Optional[int] = None  # number of outputs when known
    flavour: str = "tensorflow"  # "keras3" or "tensorflow" (tf.keras / tf_keras): decides the fix helper
    learning_phase_input: bool = False  # K.function fed a learning phase: stochastic when fed 1

    @property
    def dropout_like(self) -> bool:
        return any(layer.dropout_like for layer in self.layers)

    @property
    def always_random(self) -> bool:
        return any(layer.always_random for layer in self.layers)

    @property
    def batchnorm(self) -> bool:
        return any(layer.batchnorm for layer in self.layers)

    @property
    def tfp_random(self) -> bool:
        """tfp variational layers: one weight draw per call, shared by every row of that call."""
        return any(layer.always_random and layer.tfp for layer in self.layers)

    @property
    def shared_mask(self) -> bool:
        return any(layer.shared_mask for layer in self.layers)

    @property
    def distribution_head(self) -> bool:
        return any(layer.distribution for layer in self.layers)

    @property
    def widest_units(self) -> Optional[int]:
        widths = [layer.units for layer in self.layers if layer.units]
        return max(widths) if widths else None


@dataclass(frozen=True)
class Distribution:
    """The tfp Distribution a distribution-head model returns for `rows` input rows."""

    rows: Rows
    model: ModelInfo
