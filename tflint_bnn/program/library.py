"""What library calls return, as far as rows, models and loops are concerned: numpy, TensorFlow, Keras, TFP,
pandas, sklearn, h5py, tf.data, tqdm, optuna and the builtins. Keras models and layers are in models.py."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Dict, Optional, Tuple

from tflint_bnn.analysis import ir
from tflint_bnn.analysis.names import keras_tail, module_tail, tf_tail, tfp_tail
from tflint_bnn.program import models
from tflint_bnn.program.values import (EMPTY_SEQUENCE, Dataset, Element, Enumerated, Float, H5Node, Image,
                                       IndexArray, Int, Lib, LibObject, ListOf, ModelInfo, RandomGenerator, Range,
                                       Record, Rows, Seq, Splits, Text, Zipped)

if TYPE_CHECKING:
    from tflint_bnn.program.evaluate import Arguments

# keras.datasets.<name>.load_data() -> ((x_train, y_train), (x_test, y_test)) with these default sizes.
DATASET_SPLITS: Dict[str, Tuple[int, int]] = {
    "mnist": (60_000, 10_000),
    "fashion_mnist": (60_000, 10_000),
    "cifar10": (50_000, 10_000),
    "cifar100": (50_000, 10_000),
    "imdb": (25_000, 25_000),
    "reuters": (8_982, 2_246),
    "boston_housing": (404, 102),
    "california_housing": (16_512, 4_128),
}
# numpy / TF constructors whose first argument is the shape.
SHAPE_FIRST = frozenset({"zeros", "ones", "empty", "full", "fill", "random.random", "random.random_sample",
                         "random.sample", "random.normal", "random.uniform", "random.truncated_normal",
                         "random.stateless_normal", "random.stateless_uniform"})
NUMPY_SIZE_KEYWORD = {"random.normal": 2, "random.uniform": 2, "random.randint": 2, "random.standard_normal": 0,
                      "random.choice": 1, "random.binomial": 2, "random.poisson": 1, "random.exponential": 1}
NUMPY_DIMS_AS_ARGS = frozenset({"random.rand", "random.randn"})
# np.random.Generator methods: index of the positional `size` argument.
GENERATOR_SIZE_INDEX = {"standard_normal": 0, "random": 0, "normal": 2, "uniform": 2, "integers": 2,
                        "choice": 1, "binomial": 2, "poisson": 1, "exponential": 1}
KEEP_ROWS_FUNCTIONS = frozenset({
    "array", "asarray", "ascontiguousarray", "asfarray", "copy", "float32", "float64", "float16", "zeros_like",
    "ones_like", "empty_like", "full_like", "nan_to_num", "clip", "abs", "log", "exp", "sqrt", "squeeze",
    "constant", "convert_to_tensor", "cast", "identity", "image.resize", "one_hot", "math.log", "math.exp",
    "nn.softmax", "keras.utils.to_categorical", "utils.to_categorical", "atleast_2d"})
REDUCTIONS = frozenset({"sum", "mean", "max", "min", "amax", "amin", "std", "var", "prod", "median", "argmax",
                        "argmin", "nansum", "nanmean"})
ELEMENTWISE_BINARY = frozenset({"power", "multiply", "add", "subtract", "divide", "true_divide", "maximum",
                                "minimum"})
KEEP_ROWS_METHODS = frozenset({
    "astype", "copy", "numpy", "to_numpy", "clip", "round", "squeeze", "__array__", "flatten", "drop", "fillna",
    "replace", "rename", "select_dtypes", "filter", "assign", "reset_index", "set_index", "apply", "applymap", "map",
    "get_dummies", "dropna", "to_frame", "cpu"})
# Row indexers of a DataFrame: `df.iloc[:, :-1]` slices rows like an array does.
KEEP_ROWS_ATTRIBUTES = frozenset({"values", "data", "iloc", "loc"})
LOADERS_NUMPY = frozenset({"load", "loadtxt", "genfromtxt", "fromfile", "memmap"})
LOADERS_PANDAS = frozenset({"read_csv", "read_parquet", "read_table", "read_json", "read_excel", "read_hdf",
                            "read_pickle", "read_feather", "read_sql"})
# sklearn.preprocessing transformers that map each row to one row: transform(x) has x's rows.
ROW_WISE_TRANSFORMERS = frozenset({"MinMaxScaler", "StandardScaler", "RobustScaler", "MaxAbsScaler", "Normalizer",
                                   "QuantileTransformer", "PowerTransformer", "OneHotEncoder", "OrdinalEncoder",
                                   "PolynomialFeatures", "FunctionTransformer", "Binarizer"})
# sklearn splitters: their default n_splits and n_repeats. The *KFold ones test on 1/n_splits of the rows.
SPLITTERS = {"KFold": (5, 1), "StratifiedKFold": (5, 1), "GroupKFold": (5, 1), "RepeatedKFold": (5, 10),
             "RepeatedStratifiedKFold": (5, 10), "ShuffleSplit": (10, 1), "StratifiedShuffleSplit": (10, 1),
             "TimeSeriesSplit": (5, 1)}
ONE_ROW = "one row"
# Calls that read or convert one image (no batch axis).
IMAGE_READERS = frozenset({"cv2.imread", "PIL.Image.open", "imageio.imread", "imageio.v2.imread", "skimage.io.imread"})
KERAS_IMAGE_READERS = frozenset({"preprocessing.image.load_img", "utils.load_img", "preprocessing.image.img_to_array",
                                 "utils.img_to_array"})
_SIX_BUILTINS = {"six.moves.range": "range", "six.moves.xrange": "range"}


def one_row() -> Rows:
    return Rows(1, origin=ONE_ROW)


def call(name: str, args: "Arguments") -> object:
    """The value of calling the library object `name` (a dotted name) with `args`."""
    root = name.split(".", 1)[0]
    if root == "builtins":
        return _builtin(name[len("builtins."):], args)
    if name in _SIX_BUILTINS:  # `from six.moves import range`: Python 2/3 code
        return _builtin(_SIX_BUILTINS[name], args)
    tail = module_tail(name, "numpy")
    if tail is not None:
        return _numpy(tail, args)
    tail = keras_tail(name)
    if tail is not None:
        return _keras(tail, name, args)
    tail = tfp_tail(name)
    if tail is not None:
        return models.tfp_layer(tail, args)
    tail = tf_tail(name)
    if tail is not None:
        return _tensorflow(tail, args)
    if name in ("random.sample", "random.choices"):  # the standard library's: k items of the population
        count = args.integer(1, "k") if name == "random.sample" else args.integer(None, "k")
        population = args.value(0, "population")
        if isinstance(population, Range) and count is not None:
            return IndexArray(count)  # `random.sample(range(len(x)), 2000)`: row indices, `x[idx]` has 2000 rows
        return ListOf(count, element_of(population))
    if name == "argparse.ArgumentParser":
        return LibObject("argparse.parser")
    if name == "collections.deque":
        return EMPTY_SEQUENCE if args.ir(0, "iterable") is None else args.value(0, "iterable")
    if root == "sklearn":
        last = name.rsplit(".", 1)[-1]
        if last == "train_test_split":
            return _train_test_split(args)
        if last in SPLITTERS:
            splits, repeats = SPLITTERS[last]
            splits = args.integer(0, "n_splits") if args.count or args.has("n_splits") else splits
            repeats = args.integer(None, "n_repeats") if args.has("n_repeats") else repeats
            return LibObject("splitter", (splits, repeats, last.endswith("KFold")))
        if name.startswith("sklearn.preprocessing.") and last in ROW_WISE_TRANSFORMERS:
            return LibObject("sklearn.transformer")
        return None
    if name == "cv2.VideoCapture":  # a camera or a video file: each read() is one frame
        return LibObject("cv2.capture")
    if name in IMAGE_READERS or (root == "cv2" and isinstance(args.value(0), Image)):
        return Image()  # cv2.resize / cvtColor / GaussianBlur of an image: still one image
    tail = module_tail(name, "pandas")
    if tail in LOADERS_PANDAS:
        return _loaded(args, f"pandas.{tail}", frame=True)
    if tail == "DataFrame":
        inner = args.rows(0, "data")
        return Rows(inner.count, inner.loaded, inner.origin, inner.where, frame=True) if inner else None
    if root == "tensorflow_datasets":
        return _tfds(name.rsplit(".", 1)[-1], args)
    if name == "h5py.File":
        return H5Node()
    if name == "scipy.io.loadmat":  # every array of a MATLAB file, by name: `mat["Xtest"]` is read whole
        return _loaded(args, name)
    if root == "tqdm" or name.endswith(".tqdm") or name.endswith(".trange"):
        return _tqdm(name.rsplit(".", 1)[-1], args)
    if name in ("optuna.create_study", "optuna.study.create_study"):
        return LibObject("optuna.study")
    if name.rsplit(".", 1)[-1] == "BayesianOptimization":
        return LibObject("bayes_opt", (args.ir(0, "f"),))
    if name == "itertools.product":  # every combination: the product of the lengths
        counts = [length(args.value(i)) for i in range(args.count)]
        return ListOf(math.prod(counts) if counts and None not in counts else None, None)
    if name == "functools.partial":
        return LibObject("partial", (args.value(0, "func"),))
    if name == "collections.namedtuple":
        return LibObject("namedtuple", _field_names(args.value(1, "field_names")))
    return None


def _loaded(args: "Arguments", origin: str, frame: bool = False) -> Optional[Rows]:
    return Rows(loaded=True, origin=origin, where=args.where, frame=frame) if args.assume_loaded_large else None


def _field_names(value: object) -> Tuple[str, ...]:
    if isinstance(value, Text):
        return tuple(value.value.replace(",", " ").split())
    if isinstance(value, Seq):
        return tuple(item.value for item in value.items if isinstance(item, Text))
    return ()


# -- builtins ------------------------------------------------------------------------------------------------------

def _builtin(name: str, args: "Arguments") -> object:
    if name in ("range", "xrange", "trange", "tnrange"):  # tqdm's trange without its import; Python 2's xrange
        return _range(args)
    if name == "len":
        inner = args.value(0)
        if isinstance(inner, Rows) and inner.count is not None:
            return Int(inner.count)
        if isinstance(inner, Seq) and inner != EMPTY_SEQUENCE:  # a container made empty is filled before it is read
            return Int(len(inner.items))
        if isinstance(inner, ListOf) and inner.count is not None:
            return Int(inner.count)
        if isinstance(inner, Text):  # a string literal: `range(0, len(seed), 2)` walks its characters
            return Int(len(inner.value))
        return None
    if name == "int":
        inner = args.value(0)
        if isinstance(inner, Float):
            return Int(int(inner.value))
        return inner if isinstance(inner, Int) else None
    if name in ("list", "tuple") and not args.count:
        return EMPTY_SEQUENCE
    if name in ("enumerate", "reversed", "sorted", "list", "tuple", "iter"):
        inner = args.value(0)
        if name in ("list", "tuple") and isinstance(inner, (Rows, Range)):
            return inner
        return inner if isinstance(inner, (Range, Rows, Seq, ListOf, Splits, Dataset)) else None
    if name in ("min", "max") and args.count >= 2:
        values = [args.integer(i) for i in range(args.count)]
        if None not in values:
            return Int(min(values) if name == "min" else max(values))
        # `min(batch_size, len(memory))`: the batch size once the memory holds that many, as it does in steady state
        known = [value for i, value in enumerate(values) if value is not None or not _is_len_call(args, i)]
        return Int(min(known)) if name == "min" and known and None not in known else None
    return None


def _is_len_call(args: "Arguments", index: int) -> bool:
    node = args.ir(index)
    return isinstance(node, ir.Call) and args.evaluator.value(node.func, args.frame) == Lib("builtins.len")


def length(value: object) -> Optional[int]:
    """How many items iterating `value` gives, when known: the one count loops, zip and comprehensions read."""
    if isinstance(value, (Range, Rows, ListOf, Splits, IndexArray)):
        return value.count
    if isinstance(value, Seq):
        return len(value.items)
    if isinstance(value, Enumerated):
        return length(value.inner)
    if isinstance(value, Zipped):
        counts = [count for count in map(length, value.parts) if count is not None]
        return min(counts) if counts else None
    return None


def _range(args: "Arguments") -> Range:
    bounds = [args.integer(i) for i in range(args.count)]
    if bounds == [None] and _is_len_call(args, 0):
        counted = args.evaluator.value(args.ir(0).args[0], args.frame) if args.ir(0).args else None
        if isinstance(counted, Rows) and counted.loaded:
            return Range(None, rows_of=counted)
    if not bounds or None in bounds or len(bounds) > 3:
        return Range(None)
    start, stop = (0, bounds[0]) if len(bounds) == 1 else bounds[:2]
    step = bounds[2] if len(bounds) == 3 else 1
    if step == 0:
        return Range(None)
    return Range(max(0, -(-(stop - start) // step)) if step > 0 else max(0, -(-(start - stop) // -step)))


def _tqdm(name: str, args: "Arguments") -> object:
    if name in ("trange", "tnrange"):
        return _range(args)
    inner = args.value(0, "iterable")
    if inner is None:
        total = args.integer(None, "total")
        return Range(total) if total is not None else None
    return inner


# -- numpy ---------------------------------------------------------------------------------------------------------

def _numpy(tail: str, args: "Arguments") -> object:
    if tail in LOADERS_NUMPY:
        return _loaded(args, f"np.{tail}")
    if tail in ("random.default_rng", "random.RandomState"):
        return RandomGenerator()
    if tail in NUMPY_DIMS_AS_ARGS:
        return _made(args, args.integer(0))
    if tail in NUMPY_SIZE_KEYWORD:
        return _made(args, shape_rows(args.value(NUMPY_SIZE_KEYWORD[tail], "size")))
    if tail in SHAPE_FIRST:
        return _made(args, shape_rows(args.value(0, "shape")))
    if tail == "arange":
        return _arange(args)
    if tail == "tile":
        return _tile(args)
    if tail == "linspace":
        return _made(args, args.integer(2, "num"))
    if tail in ("concatenate", "vstack", "row_stack", "concat"):
        return concatenate(args)
    if tail == "append":
        return _append(args)
    if tail in ("array_split", "split", "vsplit", "hsplit"):
        return _split(args, axis=1 if tail == "hsplit" else None)
    if tail == "expand_dims":
        return expand_dims(args)
    if tail == "reshape":
        return reshape(args.value(0), args.value(1, "newshape"))
    if tail in KEEP_ROWS_FUNCTIONS or tail.startswith("random.permutation"):
        return _keep_rows(args.value(0))
    if tail in REDUCTIONS:  # `np.sum(img, axis=3, keepdims=True)`: reduced along another axis, the rows stay
        axis = args.integer(1, "axis")
        return _keep_rows(args.value(0)) if axis is not None and axis != 0 else None
    if tail in ELEMENTWISE_BINARY:  # `np.power(10, np.linspace(0, -4, 5))`: broadcasting keeps the larger rows
        arrays = [value for value in (args.value(0), args.value(1)) if isinstance(value, Rows)]
        return max(arrays, key=lambda rows: rows.count or 0) if arrays else None
    return None


def _made(args: "Arguments", count: Optional[int]) -> Optional[Rows]:
    return Rows(count, where=args.where) if count is not None else None


def transformer_method(receiver: LibObject, method: str, args: "Arguments") -> object:
    """A fitted sklearn transformer: `fit` gives itself back; transforming keeps the rows, as an array."""
    if method == "fit":
        return receiver
    if method in ("transform", "fit_transform", "inverse_transform"):
        rows = args.rows(0, "X")
        return Rows(rows.count, rows.loaded, rows.origin, rows.where) if rows is not None else None
    return None


def _keep_rows(value: object) -> object:
    if isinstance(value, (Rows, IndexArray, Image)):
        return value
    if isinstance(value, Seq) and value.items and all(not isinstance(item, (Rows, Seq)) for item in value.items):
        return Rows(len(value.items), origin=ONE_ROW if len(value.items) == 1 else "")
    if isinstance(value, Seq) and len(value.items) == 1:
        return Rows(1, origin=ONE_ROW)  # np.array([state]): one row, whatever the state is
    if isinstance(value, ListOf):
        loaded = value.rows_of
        return Rows(value.count) if loaded is None else Rows(None, True, loaded.origin, loaded.where)
    return None


def shape_rows(shape_value: object) -> Optional[int]:
    """Rows of a shape argument: an int, or the first item of a tuple/list of ints."""
    if isinstance(shape_value, Int):
        return shape_value.value
    if isinstance(shape_value, Seq) and shape_value.items and isinstance(shape_value.items[0], Int):
        return shape_value.items[0].value
    return None


def _arange(args: "Arguments") -> Optional[Rows]:
    """np.arange(stop), (start, stop), (start, stop, step): ceil((stop - start) / step) values, floats included."""
    bounds = [_number(args.value(i)) for i in range(min(args.count, 3))]
    if len(bounds) == 1 and bounds[0] is not None:
        return Rows(max(0, math.ceil(bounds[0])))
    if len(bounds) >= 2 and None not in bounds:
        step = bounds[2] if len(bounds) > 2 else 1
        return Rows(max(0, math.ceil((bounds[1] - bounds[0]) / step))) if step else None
    return None


def _number(value: object) -> Optional[float]:
    return value.value if isinstance(value, (Int, Float)) else None


def _tile(args: "Arguments") -> Optional[Rows]:
    """`np.tile(image, (n, 1, 1, 1))`: n rows from one item (a row of a loop, a single-row array). A tuple of reps
    as long as the array's dimensions would multiply its rows instead, so only one row is read this way."""
    reps = args.value(1, "reps")
    if not (isinstance(reps, Seq) and len(reps.items) > 1 and isinstance(reps.items[0], Int)):
        return None
    tiled = args.value(0, "A")
    one_row = isinstance(tiled, Element) or isinstance(tiled, Rows) and tiled.count == 1
    return Rows(reps.items[0].value, where=args.where) if one_row else None


def concatenate(args: "Arguments") -> Optional[Rows]:
    axis = args.integer(1, "axis")
    parts = args.value(0, "values") if args.count or args.has("values") else None
    if isinstance(parts, ListOf) and isinstance(parts.element, Rows):
        element = parts.element
        count = element.count * parts.count if element.count is not None and parts.count is not None else None
        return element.with_count(count) if count is not None or element.loaded else None
    if not isinstance(parts, Seq) or not parts.items or not all(isinstance(p, Rows) for p in parts.items):
        return None
    if axis not in (None, 0):
        return parts.items[0]
    counts = [p.count for p in parts.items]
    if None in counts:
        loaded = [p for p in parts.items if p.loaded]
        return loaded[0] if loaded else None
    return Rows(sum(counts), origin=parts.items[0].origin, where=parts.items[0].where)


def _append(args: "Arguments") -> Optional[Rows]:
    """np.append(a, b, axis=k): along another axis a's rows (a frame stack gets a new channel); along axis 0 the
    rows of both, as concatenate counts them; without an axis both are flattened into one vector."""
    if args.ir(2, "axis") is None:
        return None
    axis = args.integer(2, "axis")
    first, second = args.value(0, "arr"), args.value(1, "values")
    if not isinstance(first, Rows) or axis is None:
        return None
    if axis != 0:
        return first
    if isinstance(second, Rows) and first.count is not None and second.count is not None:
        return Rows(first.count + second.count, origin=first.origin, where=first.where)
    return None


def _split(args: "Arguments", names: Tuple[str, str] = ("ary", "indices_or_sections"),
           axis: Optional[int] = None) -> Optional[ListOf]:
    """np.array_split(x, k), tf.split(x, k), np.vsplit: k chunks of about N/k rows (along axis 0, the default);
    along another axis (np.hsplit) k chunks of all N rows. The k chunks are known whatever x is."""
    whole, parts = args.value(0, names[0]), args.integer(1, names[1])
    if axis is None:
        axis = args.integer(2, "axis") if args.ir(2, "axis") is not None else 0
    if parts is None or parts <= 0:
        return None
    if not isinstance(whole, Rows) or axis != 0:
        return ListOf(parts, whole if isinstance(whole, Rows) and axis is not None else None)
    count = math.ceil(whole.count / parts) if whole.count is not None else None
    return ListOf(parts, Rows(count, origin=f"1/{parts} of {whole.origin or 'the array'}")) if count else ListOf(
        parts, Rows())


def expand_dims(args: "Arguments") -> Optional[Rows]:
    if args.integer(1, "axis") == 0:
        return one_row()
    inner = args.value(0)
    return inner if isinstance(inner, Rows) else None


def reshape(source: object, shape: object) -> Optional[Rows]:
    first = shape.items[0] if isinstance(shape, Seq) and shape.items else shape
    if isinstance(source, Image) and first == Int(-1) and isinstance(shape, Seq) and len(shape.items) >= 3:
        return one_row()  # `img.reshape(-1, 160, 160, 3)`: a batch of the one image
    if isinstance(first, Int) and first.value == 1:
        return one_row()  # `x.reshape(1, -1)`: one row, whatever x is
    if isinstance(first, Int) and first.value > 1:  # `x.reshape(batch_size, -1)`: that many rows, whatever x is
        return source.with_count(first.value) if isinstance(source, Rows) else Rows(first.value)
    if not isinstance(source, Rows):
        return None
    if isinstance(first, Int):
        return source
    return source  # a symbolic first dimension (len(x), n) keeps the rows in practice


def reshape_shape(args: "Arguments") -> object:
    """The shape of `x.reshape(1, -1)` or `x.reshape((1, -1))`; of `x.reshape((1,) + x.shape)` its first entry, the
    one `reshape` reads."""
    if args.count != 1:
        return Seq(tuple(args.value(i) for i in range(args.count)))
    shape = args.ir(0)
    if isinstance(shape, ir.BinOp) and shape.op == "Add" and isinstance(shape.left, ir.Seq) and shape.left.items:
        return Seq((args.evaluator.value(shape.left.items[0], args.frame),))
    return args.value(0)


def rows_method(receiver: Rows, method: str, args: "Arguments") -> object:
    if method in KEEP_ROWS_METHODS:
        return receiver
    if method == "reshape":
        return reshape(receiver, reshape_shape(args))
    if method in ("head", "tail"):
        count = args.integer(0, "n")
        count = 5 if count is None and not args.count else count
        return receiver.with_count(min(count, receiver.count) if receiver.count and count else count)
    if method == "sample" and receiver.frame:
        count = args.integer(0, "n")
        return receiver.with_count(count) if count is not None else receiver
    return None


def image_method(method: str, args: "Arguments") -> object:
    """One image's methods: PIL's resize/convert and NumPy's astype/copy keep one image; reshape may batch it."""
    if method in ("resize", "convert", "astype", "copy", "crop", "rotate", "transpose", "squeeze"):
        return Image()
    if method == "reshape":
        return reshape(Image(), reshape_shape(args))
    return None


def generator_method(method: str, args: "Arguments") -> Optional[Rows]:
    if method in GENERATOR_SIZE_INDEX:
        return _made(args, shape_rows(args.value(GENERATOR_SIZE_INDEX[method], "size")))
    return None


# -- TensorFlow and Keras ------------------------------------------------------------------------------------------

def _tensorflow(tail: str, args: "Arguments") -> object:
    if tail in SHAPE_FIRST:
        return _tensor(_made(args, shape_rows(args.value(0, "shape"))))
    if tail == "function":
        return models.tf_function(args)
    if tail == "concat":
        return concatenate(args)
    if tail == "split":
        return _split(args, ("value", "num_or_size_splits"))
    if tail == "expand_dims":
        return expand_dims(args)
    if tail == "reshape":
        return reshape(args.value(0), args.value(1, "shape"))
    if tail in KEEP_ROWS_FUNCTIONS:
        return _tensor(_keep_rows(args.value(0)))
    if tail in ("data.Dataset.from_tensor_slices", "data.Dataset.from_tensors"):
        inner = args.value(0, "tensors")
        return Dataset(inner if isinstance(inner, Rows) else None)
    if tail == "range":
        return None  # tf.range yields tensors, not Python ints: not a counted Python loop
    return None


def _tensor(rows: object) -> object:
    return Rows(rows.count, rows.loaded, rows.origin, rows.where, tensor=True) if isinstance(rows, Rows) else rows


def dataset_method(receiver: Dataset, method: str, args: "Arguments") -> object:
    if method in ("batch", "padded_batch"):
        return Dataset(receiver.rows, args.integer(0, "batch_size"))
    if method in ("shuffle", "prefetch", "map", "cache", "repeat", "filter", "take", "skip", "unbatch",
                  "with_options", "apply"):
        return receiver
    return None


def _keras(tail: str, qualified: str, args: "Arguments") -> object:
    if tail in KERAS_IMAGE_READERS and (tail.endswith("load_img") or isinstance(args.value(0), Image)):
        return Image()
    if tail.startswith("datasets.") and tail.endswith(".load_data"):
        return load_data_value(tail.split(".")[1], args.where)
    if tail in KEEP_ROWS_FUNCTIONS:
        return _keep_rows(args.value(0))
    if tail in ("preprocessing.sequence.pad_sequences", "utils.pad_sequences"):
        return _keep_rows(args.value(0, "sequences"))
    if tail.startswith("applications.") and tail.endswith(".preprocess_input"):  # scales pixels, row by row
        return _keep_rows(args.value(0, "x"))
    layer = models.keras_layer(tail, args)
    if layer is not None:
        return layer
    return models.model_from_keras_call(tail, qualified, args)


def dataset_split(name: str, split: int, where: str) -> Optional[Rows]:
    sizes = DATASET_SPLITS.get(name)
    if sizes is None:
        return None
    return Rows(sizes[split], origin=f"keras.datasets.{name} {'train' if split == 0 else 'test'} split", where=where)


def load_data_value(name: str, where: str) -> Optional[Seq]:
    train, test = dataset_split(name, 0, where), dataset_split(name, 1, where)
    if train is None:
        return None
    return Seq((Seq((train, train)), Seq((test, test))))


def _tfds(function: str, args: "Arguments") -> object:
    """`tfds.load(name, split=..., batch_size=-1)`: the whole split at once, as tensors; `tfds.as_numpy` keeps it."""
    if function == "as_numpy":
        return args.value(0, "dataset")
    if function != "load" or args.integer(None, "batch_size") != -1:
        return None
    dataset, split = args.value(0, "name"), args.value(1, "split")
    sizes = DATASET_SPLITS.get(dataset.value) if isinstance(dataset, Text) else None
    position = {"train": 0, "test": 1}.get(split.value) if isinstance(split, Text) else None
    label = dataset.value if isinstance(dataset, Text) else "a dataset"
    if sizes is not None and position is not None:
        rows = Rows(sizes[position], origin=f"tfds {label} {split.value} split", where=args.where, tensor=True)
    elif args.assume_loaded_large:
        rows = Rows(loaded=True, origin=f"tfds.load({label!r}, batch_size=-1)", where=args.where, tensor=True)
    else:
        return None
    supervised = args.ir(None, "as_supervised")
    if isinstance(supervised, ir.Const) and supervised.value is True:
        return Seq((rows, rows))
    return Record(((Text("image"), rows), (Text("label"), rows)))


def _train_test_split(args: "Arguments") -> Optional[Seq]:
    """(a_train, a_test, b_train, b_test, ...) for each array passed, with sklearn's split sizes."""
    arrays = [args.rows(i) for i in range(args.count)]
    known = next((array for array in arrays if array is not None), None)
    if known is None:
        return None
    # sklearn splits arrays of one length: an array whose rows are unknown has the known one's
    arrays = [array if array is not None else Rows(known.count) for array in arrays]
    sizes = {}
    for keyword in ("test_size", "train_size"):
        value = None
        if args.has(keyword):
            found = args.value(None, keyword)
            value = found.value if isinstance(found, (Int, Float)) else None
            if value is None:
                return None  # a size the analysis cannot read: rows unknown
        sizes[keyword] = value
    items = []
    for array in arrays:
        items.extend(split_rows(array, sizes["test_size"], sizes["train_size"]))
    return Seq(tuple(items))


def split_rows(rows: Rows, test_size: Optional[float], train_size: Optional[float]) -> Tuple[Rows, Rows]:
    """sklearn's train_test_split sizes: test = ceil(n * test_size) (default 0.25), train = the rest."""
    if rows.count is None:
        return rows, rows
    n = rows.count
    if test_size is None:
        test_size = 1 - train_size if train_size is not None and train_size < 1 else (
            n - train_size if train_size is not None else 0.25)
    test = math.ceil(n * test_size) if test_size < 1 else int(test_size)
    return rows.with_count(n - test), rows.with_count(test)


def element_of(value: object) -> object:
    """What a `for` loop over `value` gets each time."""
    if isinstance(value, Dataset):
        return Rows(value.batch, origin=f"a batch of {value.batch}" if value.batch else "a batch") if value.batch \
            else Element(value)
    if isinstance(value, ListOf):
        return value.element
    if isinstance(value, Seq):
        return value.items[0] if value.items and all(item == value.items[0] for item in value.items) else None
    if isinstance(value, Splits) and value.rows is not None and value.rows.count is not None and value.folds:
        test = value.rows.count // value.folds
        return Seq((IndexArray(value.rows.count - test), IndexArray(test)))
    if isinstance(value, (Rows, Splits)) or value is None:
        return Element(value)
    return None


def split(splitter: LibObject, args: "Arguments") -> Splits:
    """`splitter.split(X)`: how many folds, and for the K-fold kinds the rows they divide."""
    splits, repeats, k_fold = splitter.data
    count = splits * repeats if splits is not None and repeats is not None else None
    rows = args.rows(0, "X") if k_fold else None
    return Splits(count, rows, splits if k_fold else None)


def is_model(value: object) -> bool:
    return isinstance(value, ModelInfo)


def ir_is_none(node: Optional[ir.IR]) -> bool:
    return isinstance(node, ir.Const) and node.value is None


def record_of(value: object) -> Optional[Record]:
    return value if isinstance(value, Record) else None
