"""Row counts of arrays: known dataset sizes, constructor shapes and slice bounds."""

from __future__ import annotations

import math
from typing import Callable, Dict, Optional, Tuple

import libcst as cst

from tflint_bnn.analysis.values import Int, Rows, Seq

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

# numpy / TF constructors: where the shape argument sits (positional index, keyword names).
SHAPE_FIRST = {"zeros", "ones", "empty", "full", "fill", "random.random", "random.random_sample", "random.sample",
               "random.normal", "random.uniform", "random.truncated_normal", "random.stateless_normal",
               "random.stateless_uniform"}
NUMPY_SIZE_KEYWORD = {"random.normal": 2, "random.uniform": 2, "random.randint": 2, "random.standard_normal": 0,
                      "random.choice": 1, "random.binomial": 2, "random.poisson": 1, "random.exponential": 1}
NUMPY_DIMS_AS_ARGS = {"random.rand", "random.randn"}
# np.random.Generator methods: index of the positional `size` argument.
GENERATOR_SIZE_INDEX = {"standard_normal": 0, "random": 0, "normal": 2, "uniform": 2, "integers": 2,
                        "choice": 1, "binomial": 2, "poisson": 1, "exponential": 1}
KEEP_ROWS_FUNCTIONS = {"array", "asarray", "ascontiguousarray", "asfarray", "copy", "float32", "float64", "float16",
                       "zeros_like", "ones_like", "empty_like", "full_like", "nan_to_num", "clip", "abs", "log",
                       "exp", "sqrt", "squeeze", "constant", "convert_to_tensor", "cast", "identity",
                       "image.resize", "one_hot", "math.log", "math.exp", "nn.softmax", "keras.utils.to_categorical",
                       "utils.to_categorical"}
KEEP_ROWS_METHODS = {"astype", "copy", "numpy", "to_numpy", "clip", "round", "squeeze", "__array__", "flatten",
                     # pandas: column selection and cleaning keep the rows of a frame read from disk
                     "drop", "fillna", "replace", "rename", "select_dtypes", "filter", "assign", "reset_index",
                     "set_index", "apply", "applymap", "map", "get_dummies"}
# Row indexers of a DataFrame: `df.iloc[:, :-1]` slices rows like an array does.
KEEP_ROWS_ATTRIBUTES = {"values", "data", "iloc", "loc"}
LOADERS_NUMPY = {"load", "loadtxt", "genfromtxt", "fromfile", "memmap"}
LOADERS_PANDAS = {"read_csv", "read_parquet", "read_table", "read_json", "read_excel", "read_hdf", "read_pickle",
                  "read_feather", "read_sql"}


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


def shape_rows(shape_value: object) -> Optional[int]:
    """Rows of a shape argument: an int, or the first item of a tuple/list of ints."""
    if isinstance(shape_value, Int):
        return shape_value.value
    if isinstance(shape_value, Seq) and shape_value.items and isinstance(shape_value.items[0], Int):
        return shape_value.items[0].value
    return None


def dataset_split(name: str, split: int) -> Optional[Rows]:
    sizes = DATASET_SPLITS.get(name)
    if sizes is None:
        return None
    return Rows(sizes[split], origin=f"keras.datasets.{name} {'train' if split == 0 else 'test'} split")


def load_data_value(name: str) -> Optional[Seq]:
    train, test = dataset_split(name, 0), dataset_split(name, 1)
    if train is None:
        return None
    return Seq((Seq((train, train)), Seq((test, test))))


Polynomial = Dict[Tuple[str, ...], int]


def polynomial(expr: cst.BaseExpression, code_of: Callable[[cst.CSTNode], str],
               atoms: Dict[str, cst.BaseExpression]) -> Optional[Polynomial]:
    """Expand +, -, * of integers and opaque atoms, so that `(i + 1) * b - i * b` simplifies to `b`.

    `atoms` receives each opaque sub-expression under its source code, so callers can evaluate what remains.
    """
    if isinstance(expr, cst.Integer):
        return {(): int(expr.value, 0)}
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = polynomial(expr.expression, code_of, atoms)
        return None if inner is None else {term: -coeff for term, coeff in inner.items()}
    if isinstance(expr, cst.BinaryOperation):
        left, right = polynomial(expr.left, code_of, atoms), polynomial(expr.right, code_of, atoms)
        if left is None or right is None:
            return None
        if isinstance(expr.operator, cst.Add):
            return _combine(left, right, 1)
        if isinstance(expr.operator, cst.Subtract):
            return _combine(left, right, -1)
        if isinstance(expr.operator, cst.Multiply):
            product: Polynomial = {}
            for term_a, coeff_a in left.items():
                for term_b, coeff_b in right.items():
                    term = tuple(sorted(term_a + term_b))
                    product[term] = product.get(term, 0) + coeff_a * coeff_b
            return {term: coeff for term, coeff in product.items() if coeff}
        return None
    if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
        atoms[code_of(expr)] = expr
        return {(code_of(expr),): 1}
    return None


def difference(high: Polynomial, low: Polynomial) -> Polynomial:
    return _combine(high, low, -1)


def _combine(left: Polynomial, right: Polynomial, sign: int) -> Polynomial:
    result = dict(left)
    for term, coeff in right.items():
        result[term] = result.get(term, 0) + sign * coeff
    return {term: coeff for term, coeff in result.items() if coeff}
