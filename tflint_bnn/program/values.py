"""Abstract values the evaluator gives IR expressions. Anything it cannot prove stays None ("unknown")."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import FrozenSet, List, Optional, Tuple

from tflint_bnn.analysis.vocabulary import DENSE_NETWORK_LAYERS, WIDTH_PRESERVING


@dataclass(frozen=True)
class Rows:
    """An array-like value with `count` rows along axis 0.

    `loaded` marks a full read from disk (np.load, pd.read_csv, h5py [:]) whose size is unknown statically.
    `origin` names where the size comes from, for messages ("keras.datasets.mnist test split"); `where` is the
    file:line that made it. `frame` marks a pandas DataFrame (tf_keras models reject those in direct calls);
    `tensor` a TensorFlow tensor; `python_list` a Python list of numbers (`[[f1, f2]]`), which predict converts and a
    direct call reads as one input per number.
    """

    count: Optional[int] = None
    loaded: bool = False
    origin: str = ""
    where: str = ""
    frame: bool = False
    tensor: bool = False
    python_list: bool = False

    def with_count(self, count: Optional[int]) -> "Rows":
        return replace(self, count=count, loaded=self.loaded and count is None)


@dataclass(frozen=True)
class Int:
    value: int


@dataclass(frozen=True)
class Float:
    value: float


@dataclass(frozen=True)
class Image:
    """One image without a batch axis (`cv2.imread`, `load_img`, `img_to_array`): given one (`img[None]`,
    `np.expand_dims(img, 0)`, `img.reshape(-1, h, w, c)`), it is one row."""


@dataclass(frozen=True)
class Bool:
    """`True` / `False`: a flag argument, which decides the `if flag:` blocks of the callee."""

    value: bool


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Shape:
    """`x.shape` of an array with known rows: only `shape[0]` is known."""

    rows: Rows


@dataclass(frozen=True)
class Seq:
    """A tuple or list whose items have values (load_data() results, tuple literals)."""

    items: Tuple[object, ...]


EMPTY_SEQUENCE = Seq(())  # `[]`, `deque(maxlen=n)`: a container made empty, to be filled


@dataclass(frozen=True)
class ListOf:
    """A list built by a comprehension: `count` elements (None: unknown) like `element`; `rows_of`: one element
    per row of a full read from disk, whose count is not known (a sliding window over a CSV's rows)."""

    count: Optional[int]
    element: object
    rows_of: Optional["Rows"] = None


@dataclass(frozen=True)
class Record:
    """Named fields: a dict literal, a namedtuple or dataclass instance, `{"test": x_test}`."""

    fields: Tuple[Tuple[object, object], ...]

    def get(self, name: object) -> object:
        """The field named `name`: a dict literal's keys are evaluated (`Text("test")`), a class's are strings."""
        return next((value for key, value in self.fields if key == name or getattr(key, "value", None) == name),
                    None)


@dataclass(frozen=True)
class Range:
    """range(...), trange(...) and what only wraps them (tqdm, enumerate): a Python counter. `rows_of`: it counts
    the rows of a full read from disk (`range(len(data))`), whose count is not known."""

    count: Optional[int]
    rows_of: Optional["Rows"] = None


@dataclass(frozen=True)
class Element:
    """One item of an iterable whose items are not otherwise known: a row of an array, an env state."""

    of: object


@dataclass(frozen=True)
class Dataset:
    """A tf.data.Dataset (or another batch iterator): iterating gives batches of `batch` rows."""

    rows: Optional[Rows]
    batch: Optional[int] = None


@dataclass(frozen=True)
class Splits:
    """KFold(n).split(X) and friends: iterating runs `count` folds. For the K-fold kinds, each fold tests on
    1/`folds` of `rows` and trains on the rest."""

    count: Optional[int]
    rows: Optional[Rows] = None
    folds: Optional[int] = None


@dataclass(frozen=True)
class IndexArray:
    """An array of row indices that selects `count` rows: a fold's `train_idx` / `test_idx`."""

    count: int


class Enumerated:
    """enumerate(inner): iterating gives (counter, element of inner)."""

    def __init__(self, inner: object):
        self.inner = inner


class Zipped:
    """zip(*parts): iterating gives one element of each part."""

    def __init__(self, parts: List[object]):
        self.parts = parts


@dataclass(frozen=True)
class RandomGenerator:
    """np.random.default_rng(...): its draw methods take shapes like numpy's constructors."""


@dataclass(frozen=True)
class H5Node:
    """An h5py File or Dataset: reading it with [:] or [()] loads the whole array."""


@dataclass(frozen=True)
class Lib:
    """A library module, function or class by its dotted name (`numpy.zeros`, `optuna.create_study`)."""

    name: str


@dataclass(frozen=True)
class LibObject:
    """What a library call returns that matters later: an optuna study, a KFold splitter, a namedtuple class."""

    kind: str
    data: Tuple[object, ...] = ()


@dataclass(frozen=True)
class LayerInfo:
    """What a Keras/TFP layer does to memory and randomness."""

    name: str
    dropout_like: bool = False  # random only in training mode (Dropout, GaussianNoise, ...)
    always_random: bool = False  # random on every call (tfp variational layers)
    forced_training: bool = False  # dropout applied with training=True where the graph is built
    batchnorm: bool = False
    distribution: bool = False  # returns a tfp Distribution (DistributionLambda and friends)
    units: Optional[int] = None
    known: bool = True  # False for custom layers whose behaviour is not visible
    shared_mask: bool = False  # dropout with a noise_shape: one mask may be shared by the rows of a batch
    tfp: bool = False  # a tensorflow_probability layer: a tf_keras layer, which Keras 3 models reject
    mixes_rows: bool = False  # a Lambda (or similar) whose output for a row may depend on the other rows
    adds_losses: bool = False  # activity regularizers, tfp KL terms: per-call entries in model.losses


@dataclass(frozen=True)
class ModelInfo:
    """A Keras model (or a callable wrapping one) and what is visible of its layers."""

    kind: str = "keras"  # "keras", "tf.function", "backend.function"
    layers: Tuple[LayerInfo, ...] = field(default_factory=tuple)
    layers_visible: bool = False  # every layer is known (Sequential literal, traced functional graph)
    outputs: Optional[int] = None  # number of outputs when known
    package: str = "tf.keras"  # "keras" (standalone Keras 3), "tf.keras", "tf_keras"
    keras3: bool = True  # runs Keras 3: standalone keras, or tf.keras without TF_USE_LEGACY_KERAS
    learning_phase_input: bool = False  # K.function fed a learning phase: stochastic when fed 1
    made_at: Tuple[str, int] = ("", 0)  # the module path and line of the call that makes it
    # predict / predict_on_batch of a program's Model subclass that the class itself defines (a method or a
    # `self.predict = ...` in a method): calling them is the program's code, not Keras's
    overridden: FrozenSet[str] = frozenset()

    @property
    def flavour(self) -> str:
        """Which batching helper fits: "keras3" for standalone Keras 3 (any backend), else "tensorflow"."""
        return "keras3" if self.package == "keras" else "tensorflow"

    @property
    def dropout_like(self) -> bool:
        return any(layer.dropout_like or layer.forced_training for layer in self.layers)

    @property
    def tfp_random(self) -> bool:
        """tfp variational layers: one weight draw per call, shared by every row of that call."""
        return any(layer.always_random and layer.tfp for layer in self.layers)

    @property
    def forced_dropout(self) -> bool:
        return any(layer.forced_training for layer in self.layers)

    def random_in(self, mode: str) -> bool:
        """Does one pass draw fresh randomness? `mode`: "training" (training=True), "plain" (no training
        argument: Keras decides), "inference" (training=False or predict).

        Dropout applied with training=True inside a functional graph stays on under tf_keras whatever the outer
        call says, but Keras 3 lets an explicit training=False (and predict) switch it off (field guide §9)."""
        if any(layer.always_random for layer in self.layers):
            return True
        if mode == "training":
            return self.dropout_like
        if mode == "plain":
            return self.forced_dropout
        return self.forced_dropout and not self.keras3

    @property
    def batchnorm(self) -> bool:
        return any(layer.batchnorm for layer in self.layers)

    @property
    def shared_mask(self) -> bool:
        return any(layer.shared_mask for layer in self.layers)

    @property
    def distribution_head(self) -> bool:
        return any(layer.distribution for layer in self.layers)

    @property
    def mixes_rows(self) -> bool:
        return any(layer.mixes_rows for layer in self.layers)

    @property
    def adds_losses(self) -> bool:
        return any(layer.adds_losses for layer in self.layers)

    @property
    def widest_units(self) -> Optional[int]:
        """The widest layer of a dense network; None when a layer's activations per row do not follow from its
        units (a convolution, a recurrent or attention layer, a custom layer): no estimate then."""
        if any(layer.name not in DENSE_NETWORK_LAYERS for layer in self.layers):
            return None
        if any(layer.name not in WIDTH_PRESERVING and not layer.units for layer in self.layers):
            return None  # `Dense(cfg.hidden)`: the widest layer may be the one whose width is unknown
        widths = [layer.units for layer in self.layers if layer.units]
        return max(widths) if widths else None


@dataclass(frozen=True)
class Distribution:
    """The tfp Distribution a distribution-head model returns for `rows` input rows."""

    rows: Rows
    model: ModelInfo


@dataclass(frozen=True)
class FunctionValue:
    """A def or lambda of the linted program. `closure`: the reading of the enclosing function it was made in (a
    factory's call), whose bindings its free variables read; not part of its identity."""

    module: str  # the module's path, as discovered
    key: str
    closure: object = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class ClassValue:
    module: str
    key: str


@dataclass(frozen=True)
class Callables:
    """One of several functions or classes of the program or of a library (`build = lenet_all if args.mc else
    lenet`, a dict of `preprocess_input` functions by model name): a call returns what any of them returns."""

    options: Tuple[object, ...]  # FunctionValue or ClassValue; or only Lib


@dataclass(frozen=True, eq=False)
class Instance:
    """An object of a class of the program; `frame` is its __init__ call when known (constructor arguments)."""

    cls: ClassValue
    frame: object = None


@dataclass(frozen=True)
class BoundMethod:
    instance: object  # Instance, or None for a method reached through its class
    function: FunctionValue


@dataclass(frozen=True)
class TracedFunction:
    """tf.function applied to a Python function: calls run a traced graph."""

    function: Optional[FunctionValue]
