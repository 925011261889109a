"""The evaluator: the one place that gives IR values, in every module, under calling contexts.

`value(node, frame)` reads an IR node of `frame.module` the way a reader follows code: a binding to what was
assigned there, a parameter to the argument the frame's call passed (in the caller's frame), an import to the
linted module it names (or a library object), a call of the program's own function to what that function
returns for these arguments, `self.model` to what the class stores there. Results are cached per (node, frame);
a node being evaluated again under the same frame (a cycle) is unknown; calls nest at most MAX_CALL_DEPTH deep
and the number of frames is bounded, after which calls are read without their arguments.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable, Dict, FrozenSet, Iterator, List, Optional, Tuple

from tflint_bnn.analysis import ir
from tflint_bnn.analysis.names import keras_tail
from tflint_bnn.analysis.summary import MODULE_SCOPE, CallSite, ClassSummary, FunctionSummary, ModuleSummary
from tflint_bnn.analysis.vocabulary import FORWARD_METHODS, INPUTS, KERAS_MODEL_BASES, LIBRARY_ROOTS
from tflint_bnn.program import library, models
from tflint_bnn.program.graph import ModuleGraph
from tflint_bnn.program.values import (EMPTY_SEQUENCE, Bool, BoundMethod, Callables, ClassValue, Dataset,
                                       Distribution, Element, Enumerated, Float, FunctionValue, H5Node, Image,
                                       IndexArray, Instance, Int, LayerInfo, Lib, LibObject, ListOf, ModelInfo,
                                       RandomGenerator, Range, Record, Rows, Seq, Shape, Text, TracedFunction, Zipped)

MAX_CALL_DEPTH = 5
MAX_FRAMES = 20_000
# Values kept per program. A whole run over the benchmark corpus (3,843 files) keeps 0.66 M; past this bound every
# further value is unknown. Without it, one order of the Keras sources' own modules read Keras's load_model into
# its internals until memory ran out (over 6 GiB) instead of stopping.
MAX_VALUES = 5_000_000
_MAX_CLASS_DEPTH = 10
# One frameless object per class, for `join`: a value must keep its identity across readings (it keys frames).
_JOINED_INSTANCES: Dict[ClassValue, Instance] = {}
# `f = a if x else b`, `BUILDERS[name]`: a call of any is read as all; more alternatives than this are unknown
MAX_CALLABLES = 16


class ModuleValue:
    """A linted module reached through an import: its attributes are its module-level names."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path


class Counter:
    """The counter of a Python loop (`i` in `for i in range(n)`): an int that changes per iteration."""


class Frame:
    """One reading of a function body: its module, and (for a call) the arguments bound to its parameters.

    `levels` and `origins` say how often the callers repeat this call (filled by program/contexts.py). Calls that
    pass equal values share one reading; `in_context` gives each chain of callers its own levels over it, and
    values are cached per `reading`, so a shared reading is evaluated once."""

    __slots__ = ("module", "scope", "args", "self_value", "caller", "depth", "levels", "origins", "call_line",
                 "reading", "closure")

    def __init__(self, module: ModuleSummary, scope: str, args: Dict[str, Tuple[ir.IR, "Frame"]],
                 self_value: object = None, caller: Optional["Frame"] = None, depth: int = 0,
                 levels: tuple = (), origins: tuple = (), call_line: int = 0, closure: Optional["Frame"] = None):
        self.module = module
        self.scope = scope
        self.args = args
        self.self_value = self_value
        self.caller = caller
        self.depth = depth
        self.levels = levels
        self.origins = origins
        self.call_line = call_line
        self.reading = self
        self.closure = closure  # the enclosing function's reading, for a nested function made by a call

    def enclosing(self, scope: str) -> Optional["Frame"]:
        """The reading of `scope` this frame sees: itself, or an enclosing function's through the closures."""
        frame: Optional[Frame] = self
        while frame is not None and frame.scope != scope:
            frame = frame.closure
        return frame

    def in_context(self, levels: tuple, origins: tuple) -> "Frame":
        """This reading as one chain of callers reaches it: the same values, that chain's repetition."""
        frame = Frame(self.module, self.scope, self.args, self.self_value, self.caller, self.depth, levels, origins,
                      self.call_line, self.closure)
        frame.reading = self.reading
        return frame

    @property
    def bound(self) -> bool:
        return bool(self.args) or self.self_value is not None


class Arguments:
    """A library call's arguments, evaluated on demand."""

    def __init__(self, evaluator: "Evaluator", call: ir.Call, frame: Frame):
        self.evaluator = evaluator
        self.frame = frame
        self.call = call
        positional = []
        for arg in call.args:
            if isinstance(arg, ir.Starred):
                break
            positional.append(arg)
        self._positional = positional
        self._keywords = {name: value for name, value in call.kwargs if name is not None}

    @property
    def count(self) -> int:
        return len(self._positional)

    def has(self, name: str) -> bool:
        return name in self._keywords

    def ir(self, index: Optional[int], name: Optional[str] = None) -> Optional[ir.IR]:
        if name is not None and name in self._keywords:
            return self._keywords[name]
        if index is not None and index < len(self._positional):
            return self._positional[index]
        return None

    def value(self, index: Optional[int], name: Optional[str] = None) -> object:
        node = self.ir(index, name)
        return self.evaluator.value(node, self.frame) if node is not None else None

    def integer(self, index: Optional[int], name: Optional[str] = None) -> Optional[int]:
        value = self.value(index, name)
        return value.value if isinstance(value, Int) else None

    def rows(self, index: Optional[int], name: Optional[str] = None) -> Optional[Rows]:
        value = self.value(index, name)
        return value if isinstance(value, Rows) else None

    @property
    def where(self) -> str:
        return self.frame.module.location(self.call.line)

    @property
    def assume_loaded_large(self) -> bool:
        return self.evaluator.assume_loaded_large


class Evaluator:
    def __init__(self, modules: Dict[str, ModuleSummary], assume_loaded_large: bool = True):
        self.modules = modules
        self.graph = ModuleGraph(list(modules))
        self.assume_loaded_large = assume_loaded_large
        self._cache: Dict[Tuple[int, int], object] = {}
        self._active: set = set()
        self._frames: Dict[tuple, Frame] = {}
        self._instances: Dict[tuple, Instance] = {}
        self._owners: Dict[Tuple[str, str], str] = {}
        self._getter_calls: Dict[FunctionValue, ir.Call] = {}
        self._filled: Dict[Tuple[ClassValue, str], Optional[ListOf]] = {}
        self._attribute_appends: Optional[Dict[str, List[Tuple[ModuleSummary, FunctionSummary, ir.IR, ir.IR]]]] = None
        self._outside_stores: Optional[Dict[str, List[Tuple[ModuleSummary, FunctionSummary, ir.IR, ir.IR]]]] = None
        self._fitted: Dict[Instance, ModelInfo] = {}  # Keras callbacks as fit runs them: the model they see
        self._stored: Dict[Tuple[ClassValue, str], List[object]] = {}
        # The readings of a function a value may depend on: its calling contexts once program/contexts.py is
        # wired in (it sets this), else the one direct reading.
        self.readings: Callable[[ModuleSummary, FunctionSummary], List[Frame]] = \
            lambda module, function: [self.direct(module, function.key)]

    # -- frames --------------------------------------------------------------------------------------------------
    def direct(self, module: ModuleSummary, scope: str) -> Frame:
        """The reading of `scope` with nothing bound (parameters unknown)."""
        key = ("direct", module.path, scope)
        frame = self._frames.get(key)
        if frame is None:
            frame = self._frames[key] = Frame(module, scope, {})
        return frame

    def call_frame(self, module: ModuleSummary, function: FunctionSummary, call: ir.Call, caller: Frame,
                   self_value: object = None, closure: Optional[Frame] = None) -> Frame:
        closure = closure.reading if closure is not None else None
        key = ("call", module.path, function.key, id(call), id(caller.reading), id(self_value), id(closure))
        frame = self._frames.get(key)
        if frame is not None:
            return frame
        if caller.depth >= MAX_CALL_DEPTH or len(self._frames) > MAX_FRAMES:
            # too deep: one reading of the callee without its arguments, shared by every such call
            unbound = ("unbound", module.path, function.key, _identity(self_value), id(closure))
            frame = self._frames.get(unbound)
            if frame is None:
                frame = self._frames[unbound] = Frame(module, function.key, {}, self_value, caller, caller.depth + 1,
                                                      closure=closure)
        else:
            # Calls that pass equal values share one reading of the callee: helpers called from many places (and
            # from each other) are read once per distinct argument values, not once per chain of call sites.
            bound = bind_arguments(function, call, caller, self_value is not None)
            values = {name: self.value(arg, outer) for name, (arg, outer) in bound.items()}
            shared = ("values", module.path, function.key, _identity(self_value), id(closure),
                      tuple(sorted(((name, _identity(value)) for name, value in values.items()),
                                   key=lambda pair: pair[0])))
            frame = self._frames.get(shared)
            if frame is None:
                # an argument whose value is unknown stays bound (to nothing), so the parameter's default is not read
                args = {name: bound[name] if values[name] is not None else (None, caller) for name in bound}
                frame = self._frames[shared] = Frame(module, function.key, args, self_value, caller,
                                                     caller.depth + 1, call_line=call.line, closure=closure)
        self._frames[key] = frame
        return frame

    def function(self, value: FunctionValue) -> Optional[Tuple[ModuleSummary, FunctionSummary]]:
        module = self.modules.get(value.module)
        summary = module.functions.get(value.key) if module else None
        return (module, summary) if summary is not None else None

    def class_summary(self, value: ClassValue) -> Optional[Tuple[ModuleSummary, ClassSummary]]:
        module = self.modules.get(value.module)
        summary = module.classes.get(value.key) if module else None
        return (module, summary) if summary is not None else None

    def owner(self, module: ModuleSummary, scope: str) -> str:
        """The function-like scope a scope's bindings are read in: comprehensions run in their function."""
        key = (module.path, scope)
        found = self._owners.get(key)
        if found is None:
            current = scope
            while module.functions[current].kind == "comprehension":
                current = module.functions[current].parent
            found = self._owners[key] = current
        return found

    # -- typed queries -------------------------------------------------------------------------------------------
    def rows(self, node: Optional[ir.IR], frame: Frame) -> Optional[Rows]:
        value = self.value(node, frame)
        if value is None:  # `[target_seq] + states`: a multi-input list of unknown length
            joined, joined_frame = self.deref(node, frame)
            if isinstance(joined, ir.BinOp) and joined.op == "Add":
                value = self.value(joined.left, joined_frame)
        if isinstance(value, Seq) and len(value.items) == 1 and _list_of_features(value.items[0]):
            # `[[f1, f2, ...]]`: one row of features, as Keras converts a nested list
            return replace(library.one_row(), python_list=True)
        if isinstance(value, Seq) and value.items:  # multi-input models: the first input's rows
            value = value.items[0]
        if isinstance(value, Record) and value.fields:
            value = value.fields[0][1]
        return value if isinstance(value, Rows) else None

    def integer(self, node: Optional[ir.IR], frame: Frame) -> Optional[int]:
        value = self.value(node, frame)
        return value.value if isinstance(value, Int) else None

    def model(self, node: Optional[ir.IR], frame: Frame) -> Optional[ModelInfo]:
        value = self.value(node, frame)
        return value if isinstance(value, ModelInfo) else None

    def layer(self, node: Optional[ir.IR], frame: Frame) -> Optional[LayerInfo]:
        value = self.value(node, frame)
        return value if isinstance(value, LayerInfo) else None

    def is_keras_input(self, node: ir.IR, frame: Frame) -> bool:
        if not isinstance(node, ir.Call):
            return False
        callee = self.value(node.func, frame)
        return isinstance(callee, Lib) and keras_tail(callee.name) in INPUTS

    def deref(self, node: Optional[ir.IR], frame: Frame) -> Tuple[Optional[ir.IR], Frame]:
        """One step through a name: the IR a binding holds, or the argument a parameter received."""
        for _ in range(50):
            if isinstance(node, ir.Bind):
                target = self._binding(node, frame)
                if target is None:
                    return None, frame
                node, frame = target
            elif isinstance(node, ir.Param) and node.name in frame.args and frame.scope == node.scope:
                node, frame = frame.args[node.name]
            else:
                return node, frame
        return None, frame

    def truth(self, node: ir.IR, frame: Frame) -> Optional[bool]:
        """Whether a flag parameter is true in this reading: the literal the call passes, or the default it leaves.
        None when unknown: a local name (a loop may rebind it after the test), a reading with no caller."""
        if not isinstance(node, ir.Param) or frame.caller is None or frame.scope != node.scope:
            return None
        if node.name in frame.args:
            node = frame.args[node.name][0]
        else:
            function = frame.module.functions.get(node.scope)
            node = function.defaults.get(node.name) if function is not None else None
        return bool(node.value) if isinstance(node, ir.Const) else None

    def skipped(self, site: CallSite, frame: Frame) -> bool:
        """Does this reading skip the `if flag:` block the call sits in (`save_images(epoch, full=False)`)?"""
        return any(self.truth(flag, frame) is (not runs_when) for flag, runs_when in site.flags)

    def _binding(self, node: ir.Bind, frame: Frame) -> Optional[Tuple[ir.IR, Frame]]:
        module = frame.module
        summary = module.functions.get(node.scope)
        if summary is None or node.index >= len(summary.bindings) or summary.bindings[node.index] is None:
            return None
        owner = self.owner(module, node.scope)
        return summary.bindings[node.index], frame.enclosing(owner) or self.direct(module, owner)

    # -- values --------------------------------------------------------------------------------------------------
    def value(self, node: Optional[ir.IR], frame: Frame) -> object:
        if node is None:
            return None
        key = (id(node), id(frame.reading))
        if key in self._cache:
            return self._cache[key]
        if key in self._active:
            return None  # a cycle of assignments or calls: unknown
        if len(self._cache) >= MAX_VALUES:
            return None  # too big a program to read further
        self._active.add(key)
        try:
            result = self._value(node, frame)
        except RecursionError:
            result = None  # a pathologically deep chain: this value is unknown, the rest of the program is not
        finally:
            self._active.discard(key)
        self._cache[key] = result
        return result

    def _value(self, node: ir.IR, frame: Frame) -> object:
        kind = type(node)
        if kind is ir.Const:
            return _constant(node.value)
        if kind is ir.Bind:
            target = self._binding(node, frame)
            return self.value(*target) if target is not None else None
        if kind is ir.Param:
            return self._parameter(node, frame)
        if kind is ir.Global:
            return self._global(node, frame.module)
        if kind is ir.Func:
            # made inside a call's reading: its free variables read that call's arguments (a factory's closure)
            return FunctionValue(frame.module.path, node.scope, frame if frame.bound or frame.closure else None)
        if kind is ir.Class:
            return ClassValue(frame.module.path, node.scope)
        if kind is ir.Call:
            return self._call(node, frame)
        if kind is ir.Attr:
            receiver = self.value(node.obj, frame)
            found = self.attribute(receiver, node.name)
            if found is None and isinstance(receiver, Instance):
                return self._stored_by_this_call(receiver, node.name, frame)
            return found
        if kind is ir.Item:
            return self._item(node, frame)
        if kind is ir.Seq:
            return Seq(tuple(self.value(item, frame) for item in node.items))
        if kind is ir.DictLit:
            return Record(tuple((self.value(k, frame) if k is not None else None, self.value(v, frame))
                                for k, v in zip(node.keys, node.values)))
        if kind is ir.BinOp:
            return _binary(node.op, self.value(node.left, frame), self.value(node.right, frame))
        if kind is ir.UnaryOp:
            inner = self.value(node.operand, frame)
            if isinstance(inner, Int) and node.op == "USub":
                return Int(-inner.value)
            return inner if isinstance(inner, Rows) else None
        if kind is ir.Choice:
            return join([self.value(option, frame) for option in node.options])
        if kind is ir.LoopItem:
            return self._loop_item(node, frame)
        if kind is ir.Product:
            lengths = [library.length(self.value(iterable, frame)) for iterable in node.iterables]
            return ListOf(math.prod(lengths) if None not in lengths else None, None)
        if kind is ir.Comprehension:
            iterable = self.value(node.iterable, frame)
            return ListOf(library.length(iterable), self.value(node.element, frame),
                          iterable.rows_of if isinstance(iterable, Range) else None)
        if kind is ir.WithAdditions:
            model = self.value(node.value, frame)
            if isinstance(model, ModelInfo):
                return models.with_layers(model, [self.layer(added, frame) for added in node.additions])
            return model
        if kind is ir.Starred:
            return self.value(node.value, frame)
        return None

    def _parameter(self, node: ir.Param, frame: Frame) -> object:
        module = frame.module
        function = module.functions.get(node.scope)
        if function is None:
            return None
        reading = frame.enclosing(node.scope)
        if reading is not None:
            if node.name in reading.args:
                argument, caller = reading.args[node.name]
                return self.value(argument, caller)
            if reading.self_value is not None and function.params and node.name == function.params[0]:
                return reading.self_value
        if function.class_key and function.params and node.name == function.params[0]:
            kind = _method_kind(function)
            if kind == "classmethod":
                return ClassValue(module.path, function.class_key)
            if kind == "method":
                return Instance(ClassValue(module.path, function.class_key))
        default = function.defaults.get(node.name)
        if default is not None and function.parent is not None:
            return self.value(default, self.direct(module, self.owner(module, function.parent)))
        return None

    def _global(self, node: ir.Global, module: ModuleSummary) -> object:
        if len(module.star_imports) > 1:
            found = self._star_imported(node, module)
            if found is not None:
                return found
        root = node.name.split(".", 1)[0]
        if not node.level and root in LIBRARY_ROOTS:
            return Lib(node.name)
        found = self.graph.resolve(node.name, node.level, module.path)
        if found is None:
            return Lib(node.name) if not node.level else None
        path, rest = found
        parts = node.name.split(".")
        if not node.level and len(parts) - len(rest) > 1 and parts[1] in self.modules[path].names \
                and self.graph.resolve(root, 0, module.path) == (path, ()):
            # `import net` is net/net.py (its folder on sys.path): `net.net` is a name in it, not the module again
            # (but `models.models.build` is models/models.py's `build` when that module defines no `models`)
            rest = tuple(parts[1:])
        value: object = ModuleValue(path)
        for name in rest:
            value = self.attribute(value, name)
        return value

    def _star_imported(self, node: ir.Global, module: ModuleSummary) -> object:
        """A name no import binds, in a module with several `from x import *`: the extractor read it from the
        first; the last module of the program that defines it gives it, as Python's last import wins
        (`from normalization import *` then `from net import *`: `net` is net.py's)."""
        base, level = module.star_imports[0]
        prefix = f"{base}." if base else ""
        if node.level != level or not node.name.startswith(prefix) or "." in node.name[len(prefix):]:
            return None
        name = node.name[len(prefix):]
        for other, other_level in reversed(module.star_imports):
            found = self.graph.resolve(other, other_level, module.path)
            if found is not None and not found[1] and name in self.modules[found[0]].names:
                return self.module_name(found[0], name)
        return None

    def module_name(self, path: str, name: str) -> object:
        module = self.modules[path]
        node = module.names.get(name)
        return self.value(node, self.direct(module, MODULE_SCOPE)) if node is not None else None

    # -- attributes and items ------------------------------------------------------------------------------------
    def attribute(self, receiver: object, name: str) -> object:
        if isinstance(receiver, ModuleValue):
            found = self.module_name(receiver.path, name)
            if found is None and receiver.path.endswith("__init__.py"):
                submodule = self.graph.resolve(name, 1, receiver.path)
                return ModuleValue(submodule[0]) if submodule is not None and not submodule[1] else None
            return found
        if isinstance(receiver, Lib):
            return Lib(f"{receiver.name}.{name}")
        if isinstance(receiver, Rows):
            if name in library.KEEP_ROWS_ATTRIBUTES:
                return receiver
            return Shape(receiver) if name == "shape" else None
        if isinstance(receiver, Record):
            return receiver.get(name)
        if isinstance(receiver, Instance):
            return self._instance_attribute(receiver, name)
        if isinstance(receiver, ClassValue):
            return self._class_attribute(receiver, name)
        return None

    def _item(self, node: ir.Item, frame: Frame) -> object:
        index = node.index
        first = index.items[0] if isinstance(index, ir.Seq) and index.items else index
        if _is_new_axis(first):
            return library.one_row()
        base = self.value(node.obj, frame)
        if isinstance(first, ir.Slice):
            if isinstance(base, Seq):
                return self._sliced_sequence(base, first, frame)
            if isinstance(base, Image):
                return base  # `frame[y:y + h, x:x + w]`: a crop of one image is one image
            if isinstance(base, H5Node):
                return self._loaded("h5py", frame) if first.lower is None and first.upper is None else H5Node()
            return self._sliced_rows(base if isinstance(base, Rows) else None, first, frame)
        key = self.value(first, frame)
        if isinstance(base, Seq) and isinstance(key, Int):
            return base.items[key.value] if -len(base.items) <= key.value < len(base.items) else None
        if isinstance(base, Record):
            if not isinstance(key, (Text, Int)) and base.fields and all(
                    isinstance(value, (FunctionValue, ClassValue, Lib)) for _, value in base.fields):
                return join([value for _, value in base.fields])  # `BUILDERS[name]`: any of the registered builders
            return base.get(key.value if isinstance(key, (Text, Int)) else key)
        if isinstance(base, Shape) and isinstance(key, Int) and key.value == 0:
            return Int(base.rows.count) if base.rows.count is not None else None
        if isinstance(base, H5Node):
            return self._loaded("h5py", frame) if isinstance(first, ir.Seq) and not first.items else H5Node()
        if isinstance(base, ListOf) and isinstance(key, (Int, Counter)):
            return base.element
        if isinstance(key, IndexArray) and (base is None or isinstance(base, Rows)):
            # `X[test_idx]` of a K-fold split, `X[random.sample(range(n), k)]`: as many rows as indices
            return (base or Rows()).with_count(key.count)
        if not isinstance(base, Rows):
            return Element(base) if isinstance(key, (Int, Counter)) and base is not None else None
        if isinstance(key, Text) or (isinstance(key, Seq) and key.items and all(isinstance(k, Text)
                                                                                for k in key.items)):
            return base  # DataFrame column selection keeps the rows
        if isinstance(first, ir.Const) and first.value is Ellipsis:
            return base
        if node.unpacked and base.loaded and base.count is None:
            # `x, y = read_pickle(path)`: a file that unpacks into a few names holds a few arrays, not rows
            return base
        if isinstance(key, (Int, Counter)) or _integer_expression(first, self, frame):
            return library.one_row()
        return None  # an index array or mask: the row count depends on the data

    def _loaded(self, origin: str, frame: Frame) -> Optional[Rows]:
        return Rows(loaded=True, origin=origin) if self.assume_loaded_large else None

    def _sliced_sequence(self, base: Seq, piece: ir.Slice, frame: Frame) -> object:
        bounds = [self.integer(b, frame) if b is not None else None for b in (piece.lower, piece.upper, piece.step)]
        if any(b is None for b, node in zip(bounds, (piece.lower, piece.upper, piece.step)) if node is not None):
            return None
        return Seq(base.items[bounds[0]:bounds[1]:bounds[2]])

    def _sliced_rows(self, base: Optional[Rows], piece: ir.Slice, frame: Frame) -> Optional[Rows]:
        step = self.integer(piece.step, frame) if piece.step is not None else 1
        if step is None or step <= 0:
            return None
        if piece.width is not None:  # `x[i:i + b]`: b rows whatever x is
            width = self.integer(piece.width, frame)
            if width is not None:
                rows = base if base is not None else Rows()
                count = width if rows.count is None else min(width, rows.count)
                return rows.with_count(math.ceil(count / step))
        if base is None:
            return self._bounded_slice(piece, step, frame)
        if piece.lower is None and piece.upper is None:
            return base if step == 1 else base.with_count(None if base.count is None else math.ceil(base.count / step))
        low = 0 if piece.lower is None else self.integer(piece.lower, frame)
        high = base.count if piece.upper is None else self.integer(piece.upper, frame)
        if low is not None and low < 0 and piece.upper is None:
            count = -low if base.count is None else min(-low, base.count)
        elif low is not None and high is not None:
            if base.count is not None:
                low, high = _clamp(low, base.count), _clamp(high, base.count)
            elif (low < 0) != (high < 0):  # `x[:-5000]` of an array of unknown length: all but 5,000 rows
                return base.with_count(None)
            count = max(0, high - low)
        elif base.count is None and (high is not None and piece.lower is not None or piece.upper is None):
            count = None  # `x[5000:]`, `x[split:]` of an array of unknown length: as unknown as the array
        else:
            return None
        return base.with_count(None if count is None else math.ceil(count / step))

    def _bounded_slice(self, piece: ir.Slice, step: int, frame: Frame) -> Optional[Rows]:
        """`windows[-1:]`, `x[:5]` of an array of unknown length: at most that many rows, whatever it holds."""
        low = self.integer(piece.lower, frame) if piece.lower is not None else 0
        high = self.integer(piece.upper, frame) if piece.upper is not None else None
        if low is not None and low < 0 and piece.upper is None:
            count = -low
        elif low == 0 and high is not None and high >= 0:
            count = high
        else:
            return None
        return Rows(math.ceil(count / step))

    def _loop_item(self, node: ir.LoopItem, frame: Frame) -> object:
        iterable = self.value(node.iterable, frame)
        path = node.path
        if isinstance(iterable, Enumerated) and path:
            element = Counter() if path[0] == 0 else library.element_of(iterable.inner)
            path = path[1:]
        elif isinstance(iterable, Zipped) and path:
            element = library.element_of(iterable.parts[path[0]]) if path[0] < len(iterable.parts) else None
            path = path[1:]
        elif isinstance(iterable, Range):
            element = Counter()
        else:
            element = library.element_of(iterable)
        for index in path:
            element = element.items[index] if isinstance(element, Seq) and index < len(element.items) else None
        return element

    # -- calls ---------------------------------------------------------------------------------------------------
    def _call(self, node: ir.Call, frame: Frame) -> object:
        func = node.func
        if isinstance(func, ir.Attr):
            receiver = self.value(func.obj, frame)
            return self.method(receiver, func.name, node, frame)
        return self.apply(self.value(func, frame), node, frame)

    def method(self, receiver: object, name: str, node: ir.Call, frame: Frame) -> object:
        if isinstance(receiver, ModelInfo):
            return self.model_output(receiver, node, frame, name) if name in FORWARD_METHODS else None
        if isinstance(receiver, Record) and name in ("items", "keys", "values") and not node.args:
            return _view(receiver, name)
        if isinstance(receiver, (Lib, ModuleValue, Instance, ClassValue, Record)):
            return self.apply(self.attribute(receiver, name), node, frame)
        if isinstance(receiver, Rows):
            return library.rows_method(receiver, name, Arguments(self, node, frame))
        if isinstance(receiver, Image):
            return library.image_method(name, Arguments(self, node, frame))
        if isinstance(receiver, RandomGenerator):
            return library.generator_method(name, Arguments(self, node, frame))
        if isinstance(receiver, Distribution):
            return receiver.rows if name in ("mean", "stddev", "mode", "variance") else None
        if isinstance(receiver, Dataset):
            return library.dataset_method(receiver, name, Arguments(self, node, frame))
        if isinstance(receiver, LibObject) and receiver.kind == "argparse.parser" and name == "parse_args":
            return self._parsed_defaults(frame)
        if isinstance(receiver, LibObject) and receiver.kind == "splitter" and name == "split":
            return library.split(receiver, Arguments(self, node, frame))
        if isinstance(receiver, LibObject) and receiver.kind == "cv2.capture" and name == "read":
            return Seq((None, Image()))  # `ok, frame = cap.read()`: one frame
        if isinstance(receiver, LibObject) and receiver.kind == "sklearn.transformer":
            return library.transformer_method(receiver, name, Arguments(self, node, frame))
        if receiver is None and name == "reshape":  # `state.reshape(1, -1)`: one row whatever the state is
            return library.reshape(None, library.reshape_shape(Arguments(self, node, frame)))
        if name in ("texts_to_sequences", "texts_to_matrix") and node.args:  # a Keras Tokenizer: one row per text
            count = library.length(self.value(node.args[0], frame))
            return ListOf(count, None) if count is not None else None
        return None

    def _parsed_defaults(self, frame: Frame) -> Record:
        """`parser.parse_args()`: the options added in the same function, each at its default (what a reader
        sees when the script runs without flags); an option without a default is unknown."""
        function = frame.module.functions.get(frame.scope)
        fields = []
        for site in function.calls if function is not None else ():
            if site.method != "add_argument" or not site.args:
                continue
            keywords = {name: value for name, value in site.kwargs if name is not None}
            flag = self.value(keywords.get("dest") or site.args[-1], frame)
            if isinstance(flag, Text):
                dest = flag.value.lstrip("-").replace("-", "_")
                fields.append((dest, self.value(keywords.get("default"), frame)))
        return Record(tuple(fields))

    def apply(self, callee: object, node: ir.Call, frame: Frame) -> object:
        if isinstance(callee, Lib):
            name = callee.name
            if name in ("builtins.enumerate",):
                return Enumerated(self.value(node.args[0], frame)) if node.args else None
            if name == "builtins.zip":
                return Zipped([self.value(arg, frame) for arg in node.args])
            return library.call(name, Arguments(self, node, frame))
        if isinstance(callee, FunctionValue):
            return self._returned(callee, node, frame, None)
        if isinstance(callee, BoundMethod):
            return self._returned(callee.function, node, frame, callee.instance)
        if isinstance(callee, ClassValue):
            return self.instantiate(callee, node, frame)
        if isinstance(callee, ModelInfo):
            return self.model_output(callee, node, frame, "__call__")
        if isinstance(callee, TracedFunction) and callee.function is not None:
            return self._returned(callee.function, node, frame, None)
        if isinstance(callee, LibObject):
            if callee.kind == "namedtuple":
                return self._record(callee.data, node, frame)
            if callee.kind == "tf.function factory":
                wrapped = self.value(node.args[0], frame) if node.args else None
                return TracedFunction(wrapped if isinstance(wrapped, FunctionValue) else None)
        if isinstance(callee, Instance):
            return self.apply(self._instance_attribute(callee, "__call__"), node, frame)
        if isinstance(callee, Callables):
            return join([self.apply(option, node, frame) for option in callee.options])
        return None

    def _returned(self, value: FunctionValue, node: ir.Call, frame: Frame, self_value: object) -> object:
        found = self.function(value)
        if found is None:
            return None
        module, function = found
        if function.kind == "class":
            return None
        inner = self.call_frame(module, function, node, frame, self_value, value.closure)
        if function.yields:  # a generator: iterating it gives its yielded values, how many times is unknown
            return ListOf(None, join([self.value(yielded, inner) for yielded in function.yields]))
        return join([self.value(returned, inner) for returned in function.returns])

    def _record(self, fields: Tuple[str, ...], node: ir.Call, frame: Frame) -> Record:
        values = [(name, self.value(arg, frame)) for name, arg in zip(fields, node.args)]
        values += [(name, self.value(arg, frame)) for name, arg in node.kwargs if name is not None]
        return Record(tuple(values))

    def instantiate(self, cls: ClassValue, node: ir.Call, frame: Frame) -> object:
        found = self.class_summary(cls)
        if found is None:
            return None
        module, summary = found
        base = self.keras_base(cls)
        if base is not None:
            tail = base[0]
            if tail.split(".")[-1] in {part.split(".")[-1] for part in KERAS_MODEL_BASES}:
                direct = self.direct(module, summary.scope or MODULE_SCOPE)
                layers = [layer for layer in (self.layer(call, direct) for call in self._class_layer_calls(cls))
                          if layer is not None]
                return models.model_from_class(base, layers, self._in_hierarchy(cls, "forces_training"), module,
                                               (module.path, summary.span[0][0]), self._overridden(cls))
            if tail.startswith("layers.") or tail.rsplit(".", 1)[-1] == "Layer":
                return models.layer_from_class(tail, summary.name, self._in_hierarchy(cls, "forces_training"),
                                               self._in_hierarchy(cls, "draws_dropout"))
        if self._is_record_class(summary, module):
            return self._record(self._fields(cls), node, frame)
        key = (cls, id(node), id(frame.reading))
        instance = self._instances.get(key)
        if instance is None:
            instance = self._instances[key] = Instance(cls, (node, frame))
        return instance

    def _class_layer_calls(self, cls: ClassValue) -> Iterator[ir.IR]:
        for klass in self._mro(cls):
            found = self.class_summary(klass)
            if found is not None:
                yield from found[1].layer_calls

    def _overridden(self, cls: ClassValue) -> FrozenSet[str]:
        """The predict-like methods a Model subclass of the program defines itself, in its body or on self."""
        names = set()
        for klass in self._mro(cls):
            found = self.class_summary(klass)
            if found is not None:
                names.update(found[1].methods, found[1].attributes)
        return frozenset(names & (FORWARD_METHODS - {"__call__"}))

    def _in_hierarchy(self, cls: ClassValue, flag: str) -> bool:
        """Does `cls` or one of its program base classes have the summary flag `flag` (`forces_training`)?"""
        return any(getattr(found[1], flag) for found in map(self.class_summary, self._mro(cls)) if found is not None)

    def _fields(self, cls: ClassValue) -> Tuple[str, ...]:
        fields: Tuple[str, ...] = ()
        for klass in reversed(self._mro(cls)):
            found = self.class_summary(klass)
            if found is not None:
                fields += tuple(f for f in found[1].fields if f not in fields)
        return fields

    def _is_record_class(self, summary: ClassSummary, module: ModuleSummary) -> bool:
        frame = self.direct(module, self.owner(module, summary.outer))
        decorators = [self.value(d.func if isinstance(d, ir.Call) else d, frame) for d in summary.decorators]
        bases = [self.value(b, frame) for b in summary.bases]
        return any(isinstance(d, Lib) and d.name.endswith("dataclass") for d in decorators) or any(
            isinstance(b, Lib) and b.name.endswith("NamedTuple") for b in bases)

    def keras_base(self, cls: ClassValue, depth: int = 0) -> Optional[Tuple[str, str]]:
        """(Keras tail, qualified name) of the Keras class `cls` derives from, through the program's classes."""
        found = self.class_summary(cls)
        if found is None or depth > _MAX_CLASS_DEPTH:
            return None
        module, summary = found
        frame = self.direct(module, self.owner(module, summary.outer))
        for base in summary.bases:
            value = self.value(base, frame)
            if isinstance(value, Lib):
                tail = keras_tail(value.name)
                if tail is not None:
                    return tail, value.name
            elif isinstance(value, ClassValue):
                inherited = self.keras_base(value, depth + 1)
                if inherited is not None:
                    return inherited
        return None

    def library_bases(self, cls: ClassValue) -> List[str]:
        """The library classes (`threading.Thread`) that `cls` or one of its program base classes derives from."""
        names = []
        for klass in self._mro(cls):
            found = self.class_summary(klass)
            if found is not None:
                module, summary = found
                frame = self.direct(module, self.owner(module, summary.outer))
                names.extend(value.name for value in (self.value(base, frame) for base in summary.bases)
                             if isinstance(value, Lib))
        return names

    def is_subclass(self, cls: ClassValue, base: ClassValue) -> bool:
        return base in self._mro(cls)

    def _mro(self, cls: ClassValue) -> List[ClassValue]:
        """The class and its program base classes, depth first."""
        order: List[ClassValue] = []
        stack = [cls]
        while stack and len(order) < _MAX_CLASS_DEPTH:
            current = stack.pop(0)
            if current in order:
                continue
            order.append(current)
            found = self.class_summary(current)
            if found is None:
                continue
            module, summary = found
            frame = self.direct(module, self.owner(module, summary.outer))
            stack.extend(value for value in (self.value(base, frame) for base in summary.bases)
                         if isinstance(value, ClassValue))
        return order

    def _instance_attribute(self, instance: Instance, name: str) -> object:
        for klass in self._mro(instance.cls):
            found = self.class_summary(klass)
            if found is None:
                continue
            module, summary = found
            if name in summary.attributes:
                values = self._stored_outside(instance.cls, name)
                for method_key, stored in summary.attributes[name]:
                    frame = self._method_frame(instance, module, method_key)
                    values.append(self.value(stored, frame))
                if EMPTY_SEQUENCE in values:  # stored empty somewhere, filled by appends: what the appends hold
                    filled = self._filled_container(instance.cls, name)
                    values = [filled if value == EMPTY_SEQUENCE and filled is not None else value for value in values]
                value = join(values)
                if isinstance(value, ModelInfo) and name in summary.additions:
                    frame = self.direct(module, MODULE_SCOPE)
                    value = models.with_layers(value, [self.layer(a, frame) for a in summary.additions[name]])
                return value
            if name in summary.methods:
                method = FunctionValue(module.path, summary.methods[name])
                kind = _method_kind(module.functions[method.key])
                if kind == "staticmethod":
                    return method
                if _is_property(module.functions[method.key]):  # `data.test`: what the getter returns for it
                    return self._returned(method, self._getter_call(method), self.direct(module, MODULE_SCOPE),
                                          instance)
                return BoundMethod(instance.cls if kind == "classmethod" else instance, method)
        found = join(self._stored_outside(instance.cls, name)) or self._class_attribute(instance.cls, name)
        return self._fitted.get(instance) if found is None and name == "model" else found

    def fitted_callback(self, callback: Instance, model: ModelInfo) -> Instance:
        """The Keras callback `callback` as `fit` runs its hooks: the same object, its `model` the fitted model."""
        hooked = Instance(callback.cls, callback.frame)
        self._fitted[hooked] = model
        return hooked

    def _stored_outside(self, cls: ClassValue, name: str) -> List[object]:
        """What the program stores as `<instance>.<name> = value` outside the class's methods (`agent.model =
        build_model()` in the training script), read where it is written, for instances of `cls`."""
        if self._outside_stores is None:
            self._outside_stores = self._by_attribute("attribute_stores")
        key = (cls, name)
        known = self._stored.get(key)
        if known is None:
            self._stored[key] = []  # a store read from its own value: nothing more
            values = []
            for module, function, holder, value in self._outside_stores.get(name, ()):
                frame = self.direct(module, function.key)
                made = self.value(holder, frame)
                if isinstance(made, Instance) and self.is_subclass(cls, made.cls):
                    values.append(self.value(value, frame))
            known = self._stored[key] = values
        return list(known)

    def _by_attribute(self, records: str) -> Dict[str, List[Tuple[ModuleSummary, FunctionSummary, ir.IR, ir.IR]]]:
        """Every function's `records` (attribute_stores or attribute_appends: (attr, holder, value)) by attribute
        name, with the module and function each is written in: read once per program, not once per question."""
        found: Dict[str, List[Tuple[ModuleSummary, FunctionSummary, ir.IR, ir.IR]]] = {}
        for module in self.modules.values():
            for function in module.functions.values():
                for attr, holder, value in getattr(function, records):
                    found.setdefault(attr, []).append((module, function, holder, value))
        return found

    def _getter_call(self, method: FunctionValue) -> ir.Call:
        """The call a property read stands for: one node per getter, so that reads share the getter's reading."""
        call = self._getter_calls.get(method)
        if call is None:
            call = self._getter_calls[method] = ir.Call(ir.Const(None), (), (), 0)
        return call

    def _filled_container(self, cls: ClassValue, name: str) -> Optional[ListOf]:
        """An attribute stored empty (`self.memory = deque(maxlen=2000)`, `self.states = []`) that the program fills
        with `<instance>.<name>.append(item)`, in a method or in any function holding the instance (a replay
        memory filled by the training loop): a list of unknown length whose elements are the appended items, read
        in every calling context of the appending function."""
        if self._attribute_appends is None:
            self._attribute_appends = self._by_attribute("attribute_appends")
        key = (cls, name)
        if key in self._filled:
            return self._filled[key]
        self._filled[key] = None  # a container filled from its own readings: unknown
        items = []
        for module, function, holder, item in self._attribute_appends.get(name, ()):
            # `self.memory.append(...)` in another class's method is decided without reading any caller
            known = self.value(holder, self.direct(module, function.key))
            if isinstance(known, Instance) and not self.is_subclass(cls, known.cls):
                continue
            for frame in self.readings(module, function):
                filled = self.value(holder, frame)
                if isinstance(filled, Instance) and self.is_subclass(cls, filled.cls):
                    items.append(self.value(item, frame))
        self._filled[key] = ListOf(None, join(items)) if items else None
        return self._filled[key]

    def _stored_by_this_call(self, instance: Instance, name: str, frame: Frame) -> object:
        """`self.name` that the method being read stores itself from what its caller passes (`if not self.agent:
        self.agent = agent`, then `self.agent.execute(state)`): what this call stores, when nothing else is known."""
        function = frame.module.functions.get(frame.scope)
        owner = frame.module.classes.get(function.class_key) if function is not None and function.class_key else None
        if owner is None or instance.cls != ClassValue(frame.module.path, function.class_key):
            return None
        return join([self.value(stored, frame) for key, stored in owner.attributes.get(name, ()) if key == frame.scope])

    def _method_frame(self, instance: Instance, module: ModuleSummary, method_key: str) -> Frame:
        function = module.functions[method_key]
        if function.name == "__init__" and instance.frame is not None:
            node, caller = instance.frame
            return self.call_frame(module, function, node, caller, instance)
        key = ("method", module.path, method_key, id(instance))
        frame = self._frames.get(key)
        if frame is None:
            frame = self._frames[key] = Frame(module, method_key, {}, instance)
        return frame

    def _class_attribute(self, cls: ClassValue, name: str) -> object:
        for klass in self._mro(cls):
            found = self.class_summary(klass)
            if found is None:
                continue
            module, summary = found
            if name in summary.methods:
                method = FunctionValue(module.path, summary.methods[name])
                # `Factory.create(cfg)`: a classmethod's first parameter is the class it is read from
                if _method_kind(module.functions[method.key]) == "classmethod":
                    return BoundMethod(cls, method)
                return method
            if name in summary.names:
                return self.value(summary.names[name], self.direct(module, summary.scope))
        return None

    def model_output(self, model: ModelInfo, node: ir.Call, frame: Frame, method: str) -> object:
        arguments = Arguments(self, node, frame)
        inputs = arguments.value(0, "x") if arguments.count or arguments.has("x") else arguments.value(None, "inputs")
        rows = inputs.items[0] if isinstance(inputs, Seq) and inputs.items else inputs
        if not isinstance(rows, Rows):
            return None
        if model.distribution_head and method != "predict":
            return Distribution(rows, model)
        return rows


# -- helpers -------------------------------------------------------------------------------------------------------

def _identity(value: object) -> object:
    """`value` itself when it can key a dict (values are frozen dataclasses), else the object's identity."""
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))
    return value


def bind_arguments(function: FunctionSummary, call: ir.Call, caller: Frame,
                   method: bool) -> Dict[str, Tuple[ir.IR, Frame]]:
    params = list(function.params[1:] if method and function.params else function.params)
    bound: Dict[str, Tuple[ir.IR, Frame]] = {}
    for position, arg in enumerate(call.args):
        if isinstance(arg, ir.Starred):
            break  # *args at the call site: the rest cannot be matched statically
        if position < len(params):
            bound[params[position]] = (arg, caller)
    names = set(function.params) | set(function.kwonly)
    for name, arg in call.kwargs:
        if name is not None and name in names:
            bound[name] = (arg, caller)
    return bound


def _view(record: Record, method: str) -> ListOf:
    """`d.items()`, `d.keys()`, `d.values()` of a dict literal: as many as its keys (a loop over them counts so)."""
    keys = join([key for key, _ in record.fields])
    values = join([value for _, value in record.fields])
    element = Seq((keys, values)) if method == "items" else keys if method == "keys" else values
    return ListOf(len(record.fields), element)


def _list_of_features(value: object) -> bool:
    """A Python list of numbers (`[f1, f2]`, `[index[w] for w in words]`), not of arrays: wrapped in one more list,
    Keras converts it to one row."""
    if isinstance(value, Seq):
        return bool(value.items) and not any(isinstance(item, (Rows, Seq, ListOf)) for item in value.items)
    return isinstance(value, ListOf) and value.rows_of is None and not isinstance(value.element, (Rows, Seq, ListOf))


def join(values: List[object]) -> object:
    """One value for several possibilities (branches, several returns, several stores)."""
    known = [value for value in values if value is not None]
    if not known:
        return None
    first = known[0]
    if all(value == first for value in known):
        return first
    if all(isinstance(value, Seq) and len(value.items) == len(first.items) for value in known):
        # the same tuple shape from several places (a replay memory's transitions): item by item
        return Seq(tuple(join(list(items)) for items in zip(*(value.items for value in known))))
    if len(known) <= MAX_CALLABLES and (all(isinstance(value, (FunctionValue, ClassValue)) for value in known)
                                        or all(isinstance(value, Lib) for value in known)):
        # builders of the program, or library functions (never a mix: what a call of either makes is unknown)
        return Callables(tuple(dict.fromkeys(known)))
    if all(isinstance(value, ListOf) for value in known):  # lists made in several places: items of any of them
        counts = {value.count for value in known}
        return ListOf(counts.pop() if len(counts) == 1 else None, join([value.element for value in known]))
    if all(isinstance(value, Instance) and value.cls == first.cls for value in known):
        # objects of one class made in several places (loaded or trained): one of that class, arguments unknown
        return _JOINED_INSTANCES.setdefault(first.cls, Instance(first.cls))
    models_found = [value for value in known if isinstance(value, ModelInfo)]
    if models_found:
        merged = models_found[0]
        for other in models_found[1:]:
            merged = _merge_models(merged, other)
        return merged
    if all(isinstance(value, Rows) for value in known):
        counts = {value.count for value in known}
        if any(v.loaded for v in known) or len(counts) == 1:
            return first.with_count(counts.pop() if len(counts) == 1 else None)
        return Rows(max(counts) if None not in counts else None)
    return None


def _merge_models(a: ModelInfo, b: ModelInfo) -> ModelInfo:
    return replace(a, layers=a.layers + tuple(layer for layer in b.layers if layer not in a.layers),
                   layers_visible=a.layers_visible and b.layers_visible,
                   outputs=a.outputs if a.outputs == b.outputs else None, keras3=a.keras3 or b.keras3)


def _constant(value: object) -> object:
    if type(value) is bool:
        return Bool(value)
    if type(value) is int:
        return Int(value)
    if type(value) is float:
        return Float(value)
    if type(value) is str:
        return Text(value)
    return None


def _binary(op: str, left: object, right: object) -> object:
    if isinstance(left, Int) and isinstance(right, Int):
        return _fold(op, left.value, right.value)
    if isinstance(left, (Int, Float)) and isinstance(right, (Int, Float)):
        return _fold_float(op, left.value, right.value)
    arrays = [side for side in (left, right) if isinstance(side, Rows)]
    if arrays:
        return max(arrays, key=lambda r: r.count or 0)  # broadcasting keeps the larger row count
    if isinstance(left, Image) and isinstance(right, (Int, Float)) or isinstance(right, Image) and isinstance(
            left, (Int, Float)):
        return Image()  # `img / 255.0`
    if op == "Add" and isinstance(left, Seq) and isinstance(right, Seq):
        return Seq(left.items + right.items)
    if op == "Mult" and isinstance(right, Seq):
        left, right = right, left
    if op == "Mult" and isinstance(left, Seq) and len(left.items) == 1 and isinstance(right, Int):
        return ListOf(max(0, right.value), left.items[0])  # `[x] * k`: k references to x (np.vstack stacks k copies)
    return None


def _fold_float(op: str, left: float, right: float) -> Optional[Float]:
    """`0.2 * n`, `n / 2`: a float a later `int(...)` may turn into a row count."""
    if op == "Add":
        return Float(left + right)
    if op == "Sub":
        return Float(left - right)
    if op == "Mult":
        return Float(left * right)
    if op == "Div" and right:
        return Float(left / right)
    return None


def _fold(op: str, left: int, right: int) -> Optional[Int]:
    if op == "Add":
        return Int(left + right)
    if op == "Sub":
        return Int(left - right)
    if op == "Mult":
        return Int(left * right)
    if op == "FloorDiv" and right:
        return Int(left // right)
    if op == "Div" and right and left % right == 0:
        return Int(left // right)
    if op == "Pow" and 0 <= right < 64 and abs(left) < 2 ** 16:
        return Int(left ** right)
    if op == "Mod" and right:
        return Int(left % right)
    return None


def _clamp(index: int, length: int) -> int:
    return max(0, min(length, index + length if index < 0 else index))


def _is_new_axis(node: ir.IR) -> bool:
    if isinstance(node, ir.Const) and node.value is None:
        return True
    return isinstance(node, ir.Global) and node.name in ("numpy.newaxis", "tensorflow.newaxis")


def _integer_expression(node: ir.IR, evaluator: Evaluator, frame: Frame) -> bool:
    if isinstance(node, ir.BinOp):
        return all(_integer_expression(side, evaluator, frame) for side in (node.left, node.right))
    return isinstance(evaluator.value(node, frame), (Int, Counter))


def _is_property(function: FunctionSummary) -> bool:
    return any(ir.dotted(decorator) in ("builtins.property", "functools.cached_property")
               for decorator in function.decorators)


def _method_kind(function: FunctionSummary) -> str:
    """"method", "classmethod" or "staticmethod": what the first parameter is bound to."""
    for decorator in function.decorators:
        name = ir.dotted(decorator)
        if name in ("builtins.staticmethod", "builtins.classmethod"):
            return name.split(".")[1]
    return "method"
