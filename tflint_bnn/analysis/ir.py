"""The expression IR that module summaries carry: Python expressions with every name already resolved.

The extractor (analysis/extract.py) lowers the parts of a module that matter (what functions return, what they
store on `self`, the arguments of calls, loop iterables) into these nodes, so the tree itself can be dropped;
the project evaluator (project/evaluate.py) gives them values. A name becomes what it refers to: a binding of
its scope (`Bind`), a parameter (`Param`), an imported or library name (`Global`), a definition of the module
(`Func`, `Class`). Nodes are immutable and picklable; nothing here knows TensorFlow.
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Tuple, Union


class Const(NamedTuple):
    value: object  # int, float, str, bytes, bool, None, Ellipsis


class Bind(NamedTuple):
    """The value a binding of scope `scope` holds (`x = ...`, a loop target, `with ... as x`)."""

    scope: str
    index: int


class Param(NamedTuple):
    scope: str  # the function whose parameter it is
    name: str


class Global(NamedTuple):
    """A dotted name reached through an import, or a builtin (`builtins.len`). `level` > 0: a relative import."""

    name: str
    level: int = 0


class Func(NamedTuple):
    """A def or lambda of this module."""

    scope: str


class Class(NamedTuple):
    scope: str


class Call(NamedTuple):
    func: "IR"
    args: Tuple["IR", ...]  # positional; a `*x` argument is a Starred
    kwargs: Tuple[Tuple[Optional[str], "IR"], ...]  # (None, value) for `**value`
    line: int


class Starred(NamedTuple):
    value: "IR"


class Attr(NamedTuple):
    obj: "IR"
    name: str


class Slice(NamedTuple):
    """`lower:upper:step`; `width` is the row count the slice keeps whatever the bounds are: `x[i:i + b]` keeps
    `b` rows (an int Const or the IR of `b`), None when the text does not show it."""

    lower: Optional["IR"]
    upper: Optional["IR"]
    step: Optional["IR"]
    width: Optional["IR"]


class Item(NamedTuple):
    """`obj[index]`; a multi-axis subscript has a Seq of indices (each maybe a Slice). `unpacked`: an item taken
    by an assignment to several names (`x, y = obj`), not written as a subscript."""

    obj: "IR"
    index: "IR"
    unpacked: bool = False


class Seq(NamedTuple):
    items: Tuple["IR", ...]
    kind: str  # "tuple", "list", "set"


class DictLit(NamedTuple):
    keys: Tuple[Optional["IR"], ...]  # None for `**mapping`
    values: Tuple["IR", ...]


class BinOp(NamedTuple):
    op: str  # the ast operator class name: "Add", "Mult", ...
    left: "IR"
    right: "IR"


class UnaryOp(NamedTuple):
    op: str  # "USub", "Not", ...
    operand: "IR"


class Choice(NamedTuple):
    """Either value: `a if c else b`, `a or b`."""

    options: Tuple["IR", ...]


class LoopItem(NamedTuple):
    """An element of `iterable`, as a `for` target or comprehension variable receives it; `path` indexes into
    it for unpacking targets (`for i, (x, y) in ...` gives x the path (1, 0))."""

    iterable: "IR"
    path: Tuple[int, ...]


class Comprehension(NamedTuple):
    """`[element for ... in iterable ...]`: a list with one element per item of the first iterable."""

    element: "IR"
    iterable: "IR"
    kind: str  # "list", "set", "generator", "dict"


class Product(NamedTuple):
    """The iterations of nested loops (`for row in rows: for cell in row: cells.append(...)`): as many items as the
    product of their lengths."""

    iterables: Tuple["IR", ...]


class WithAdditions(NamedTuple):
    """A Sequential bound to a name that later gets `name.add(layer)` calls: the layers added."""

    value: "IR"
    additions: Tuple["IR", ...]


class Unknown(NamedTuple):
    pass


UNKNOWN = Unknown()

IR = Union[Const, Bind, Param, Global, Func, Class, Call, Starred, Attr, Slice, Item, Seq, DictLit, BinOp, UnaryOp,
           Choice, LoopItem, Comprehension, Product, WithAdditions, Unknown]


def receiver(func: "IR") -> Optional["IR"]:
    """What a method is called on: `a.b` of `a.b.predict(x)`, also where an import folded the chain into one
    Global (`from model import model` makes `model.predict` the Global `model.model.predict`)."""
    if isinstance(func, Attr):
        return func.obj
    if isinstance(func, Global) and "." in func.name:
        return Global(func.name.rsplit(".", 1)[0], func.level)
    return None


def dotted(ir: "IR") -> Optional[str]:
    """`keras.layers.Dense` for Global/Attr chains over a Global; None for anything else."""
    parts = []
    while isinstance(ir, Attr):
        parts.append(ir.name)
        ir = ir.obj
    if not isinstance(ir, Global) or ir.level:
        return None
    return ".".join([ir.name, *reversed(parts)])
