"""Give expressions abstract values: array rows, integers, models, layers. Unknown stays None."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING, Dict, Optional, Tuple

import libcst as cst

from tflint_bnn.analysis import models, rows as row_facts
from tflint_bnn.analysis.names import keras_tail, module_tail, tf_tail, tfp_tail
from tflint_bnn.analysis.resolve import DIRECT, Assigned, Definition, View
from tflint_bnn.analysis.syntax import argument, keyword_argument, positional_argument
from tflint_bnn.analysis.values import (Distribution, H5Node, Int, LayerInfo, ModelInfo, RandomGenerator, Rows,
                                        Seq, Shape)

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

_MAX_DEPTH = 60


class Evaluator:
    def __init__(self, analysis: "ModuleAnalysis", assume_loaded_large: bool):
        self.analysis = analysis
        self.assume_loaded_large = assume_loaded_large
        self._cache: Dict[Tuple[int, int], object] = {}
        self._active: set = set()

    # -- public queries -------------------------------------------------------------------------
    def value(self, expr: Optional[cst.BaseExpression], view: View = DIRECT) -> object:
        if expr is None:
            return None
        key = (id(expr), id(view))
        if key in self._cache:
            return self._cache[key]
        if key in self._active or len(self._active) > _MAX_DEPTH:
            return None  # recursion through a cycle of assignments: unknown
        self._active.add(key)
        try:
            result = self._value(expr, view)
        finally:
            self._active.discard(key)
        self._cache[key] = result
        return result

    def rows(self, expr: Optional[cst.BaseExpression], view: View = DIRECT) -> Optional[Rows]:
        value = self.value(expr, view)
        if isinstance(value, Seq) and value.items:  # multi-input models: the first input's rows
            value = value.items[0]
        return value if isinstance(value, Rows) else None

    def integer(self, expr: Optional[cst.BaseExpression], view: View = DIRECT) -> Optional[int]:
        value = self.value(expr, view)
        return value.value if isinstance(value, Int) else None

    def model(self, expr: Optional[cst.BaseExpression], view: View = DIRECT) -> Optional[ModelInfo]:
        value = self.value(expr, view)
        return value if isinstance(value, ModelInfo) else None

    def layer(self, expr: cst.BaseExpression, view: View = DIRECT) -> Optional[LayerInfo]:
        value = self.value(expr, view)
        return value if isinstance(value, LayerInfo) else None

    def assigned_expression(self, name: cst.Name, view: View) -> Optional[cst.BaseExpression]:
        resolved = self.analysis.resolver.resolve(name, view)
        if isinstance(resolved, Assigned) and not resolved.path:
            return resolved.expression
        if isinstance(resolved, Assigned):
            return _index_literal(resolved.expression, resolved.path)
        return None

    # -- dispatch --------------------------------------------------------------------------------
    def _value(self, expr: cst.BaseExpression, view: View) -> object:
        if isinstance(expr, cst.Integer):
            return Int(int(expr.value, 0))
        if isinstance(expr, cst.Name):
            return self._name(expr, view)
        if isinstance(expr, (cst.Tuple, cst.List)):
            return Seq(tuple(self.value(element.value, view) for element in expr.elements))
        if isinstance(expr, cst.BinaryOperation):
            return self._binary(expr, view)
        if isinstance(expr, cst.UnaryOperation):
            inner = self.value(expr.expression, view)
            if isinstance(inner, Int) and isinstance(expr.operator, cst.Minus):
                return Int(-inner.value)
            return inner if isinstance(inner, Rows) else None
        if isinstance(expr, cst.Call):
            return self._call(expr, view)
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr, view)
        if isinstance(expr, cst.Attribute):
            return self._attribute(expr, view)
        if isinstance(expr, cst.NamedExpr):
            return self.value(expr.value, view)
        return None

    def _name(self, name: cst.Name, view: View) -> object:
        resolved = self.analysis.resolver.resolve(name, view)
        if isinstance(resolved, Assigned):
            if resolved.from_call_site:
                return self.value(resolved.expression, DIRECT)  # an argument: read it where the caller wrote it
            target = _index_literal(resolved.expression, resolved.path)
            if target is not None:
                return self.value(target, view)
            return _index_value(self.value(resolved.expression, view), resolved.path)
        return None

    def _attribute(self, expr: cst.Attribute, view: View) -> object:
        attr = expr.attr.value
        if attr in row_facts.KEEP_ROWS_ATTRIBUTES:
            inner = self.value(expr.value, view)
            return inner if isinstance(inner, Rows) else None
        if attr == "shape":
            inner = self.value(expr.value, view)
            return Shape(inner) if isinstance(inner, Rows) else None
        return None

    def _binary(self, expr: cst.BinaryOperation, view: View) -> object:
        left, right = self.value(expr.left, view), self.value(expr.right, view)
        if isinstance(left, Int) and isinstance(right, Int):
            return _fold(expr.operator, left.value, right.value)
        arrays = [side for side in (left, right) if isinstance(side, Rows)]
        if not arrays:
            return None
        return max(arrays, key=lambda r: r.count or 0)  # broadcasting keeps the larger row count

    # -- calls -----------------------------------------------------------------------------------
    def _call(self, call: cst.Call, view: View) -> object:
        qualified = self.analysis.qualified_names(call.func)
        for name in sorted(qualified):
            found = self._library_call(name, call, view)
            if found is not None:
                return found
        if isinstance(call.func, cst.Name):
            builtin = self._builtin(call, view)
            if builtin is not None:
                return builtin
            resolved = self.analysis.resolver.resolve(call.func, view)
            if isinstance(resolved, Definition):
                return self._local_definition_call(resolved.node, call, view)
        if isinstance(call.func, cst.Attribute):
            method = self._method(call, view)
            if method is not None:
                return method
        callee = self.value(call.func, view)
        if isinstance(callee, ModelInfo):
            return self._model_output(callee, call, view)
        return None

    def _library_call(self, qualified: str, call: cst.Call, view: View) -> object:
        tail = module_tail(qualified, "numpy")
        if tail is not None:
            return self._numpy(tail, call, view)
        tail = keras_tail(qualified)
        if tail is not None:
            return self._keras(tail, qualified, call, view)
        tail = tfp_tail(qualified)
        if tail is not None:
            return models.tfp_layer(tail)
        tail = tf_tail(qualified)
        if tail is not None:
            return self._tensorflow(tail, call, view)
        if module_tail(qualified, "sklearn") == "model_selection.train_test_split":
            return self._train_test_split(call, view)
        tail = module_tail(qualified, "pandas")
        if tail in row_facts.LOADERS_PANDAS:
            return self._loaded(f"pandas.{tail}")
        if qualified in {"h5py.File"}:
            return H5Node()
        return None

    def _loaded(self, origin: str) -> Optional[Rows]:
        return Rows(loaded=True, origin=origin) if self.assume_loaded_large else None

    def _numpy(self, tail: str, call: cst.Call, view: View) -> object:
        if tail in row_facts.LOADERS_NUMPY:
            return self._loaded(f"np.{tail}")
        if tail == "random.default_rng" or tail == "random.RandomState":
            return RandomGenerator()
        if tail in row_facts.NUMPY_DIMS_AS_ARGS:
            return _rows_from(self.integer(positional_argument(call, 0), view))
        if tail in row_facts.NUMPY_SIZE_KEYWORD:
            size = argument(call, row_facts.NUMPY_SIZE_KEYWORD[tail], "size")
            return _rows_from(row_facts.shape_rows(self.value(size, view)))
        if tail in row_facts.SHAPE_FIRST:
            return _rows_from(row_facts.shape_rows(self.value(argument(call, 0, "shape"), view)))
        if tail == "arange":
            return self._arange(call, view)
        if tail == "linspace":
            return _rows_from(self.integer(argument(call, 2, "num"), view))
        if tail in {"concatenate", "vstack", "row_stack", "concat"}:
            return self._concatenate(call, view)
        if tail == "expand_dims":
            return self._expand_dims(call, view)
        if tail == "reshape":
            return self._reshape(self.value(positional_argument(call, 0), view), argument(call, 1, "newshape"), view)
        if tail in row_facts.KEEP_ROWS_FUNCTIONS or tail.startswith("random.permutation"):
            inner = self.value(positional_argument(call, 0), view)
            return inner if isinstance(inner, Rows) else None
        return None

    def _tensorflow(self, tail: str, call: cst.Call, view: View) -> object:
        if tail in row_facts.SHAPE_FIRST:
            return _rows_from(row_facts.shape_rows(self.value(argument(call, 0, "shape"), view)))
        if tail == "function":
            wrapped = self.model(positional_argument(call, 0), view)
            return replace(wrapped, kind="tf.function") if wrapped else None
        if tail == "concat":
            return self._concatenate(call, view)
        if tail == "expand_dims":
            return self._expand_dims(call, view)
        if tail == "reshape":
            return self._reshape(self.value(positional_argument(call, 0), view), argument(call, 1, "shape"), view)
        if tail in row_facts.KEEP_ROWS_FUNCTIONS:
            inner = self.value(positional_argument(call, 0), view)
            return inner if isinstance(inner, Rows) else None
        return None

    def _keras(self, tail: str, qualified: str, call: cst.Call, view: View) -> object:
        if tail.startswith("datasets.") and tail.endswith(".load_data"):
            return row_facts.load_data_value(tail.split(".")[1])
        if tail in row_facts.KEEP_ROWS_FUNCTIONS:
            inner = self.value(positional_argument(call, 0), view)
            return inner if isinstance(inner, Rows) else None
        layer = models.keras_layer(tail, call, self, view)
        if layer is not None:
            return layer
        return models.model_from_keras_call(tail, qualified, call, self, view)

    def _builtin(self, call: cst.Call, view: View) -> object:
        name = call.func.value
        if self.analysis.resolver.resolve(call.func, view) is not None:
            return None  # shadowed by a local definition
        first = positional_argument(call, 0)
        if name == "int":
            if isinstance(first, cst.Float):
                return Int(int(float(first.value)))
            return self.value(first, view) if isinstance(self.value(first, view), Int) else None
        if name == "len":
            inner = self.rows(first, view)
            return Int(inner.count) if inner is not None and inner.count is not None else None
        return None

    def _local_definition_call(self, node, call: cst.Call, view: View) -> object:
        if isinstance(node, cst.ClassDef):
            return models.model_from_class(node, self, view) or models.layer_from_class(node, self)
        returned = [self.value(ret, DIRECT) for ret in self.analysis.returned_expressions(node)]
        known = [value for value in returned if value is not None]
        return known[0] if known and all(value == known[0] for value in known) else None

    def _method(self, call: cst.Call, view: View) -> object:
        method = call.func.attr.value
        receiver = self.value(call.func.value, view)
        if isinstance(receiver, Rows):
            if method in row_facts.KEEP_ROWS_METHODS:
                return receiver
            if method == "reshape":
                shape = (call.args[0].value if len(call.args) == 1
                         else cst.Tuple([cst.Element(arg.value) for arg in call.args]))
                return self._reshape(receiver, shape, view)
            return None
        if isinstance(receiver, RandomGenerator) and method in row_facts.GENERATOR_SIZE_INDEX:
            size = argument(call, row_facts.GENERATOR_SIZE_INDEX[method], "size")
            return _rows_from(row_facts.shape_rows(self.value(size, view)))
        if isinstance(receiver, ModelInfo) and method in {"predict", "predict_on_batch", "__call__"}:
            return self._model_output(receiver, call, view)
        if isinstance(receiver, Distribution) and method in {"mean", "stddev", "mode", "variance"}:
            return receiver.rows
        return None

    def _model_output(self, model: ModelInfo, call: cst.Call, view: View) -> object:
        inputs = self.rows(argument(call, 0, "x") or argument(call, 0, "inputs"), view)
        if inputs is None:
            return None
        if model.distribution_head and not (isinstance(call.func, cst.Attribute) and call.func.attr.value == "predict"):
            return Distribution(inputs, model)
        return inputs

    def _train_test_split(self, call: cst.Call, view: View) -> Optional[Seq]:
        """(a_train, a_test, b_train, b_test, ...) for each array passed, with sklearn's split sizes."""
        arrays = [self.rows(arg.value, view) for arg in call.args if arg.keyword is None and not arg.star]
        if not arrays or any(a is None for a in arrays):
            return None
        sizes = {}
        for keyword in ("test_size", "train_size"):
            expr = keyword_argument(call, keyword)
            value = None
            if expr is not None:
                value = float(expr.value) if isinstance(expr, cst.Float) else self.integer(expr, view)
                if value is None:
                    return None  # a size the analysis cannot read: rows unknown
            sizes[keyword] = value
        items = []
        for array in arrays:
            items.extend(row_facts.split_rows(array, sizes["test_size"], sizes["train_size"]))
        return Seq(tuple(items))

    # -- shapes ----------------------------------------------------------------------------------
    def _arange(self, call: cst.Call, view: View) -> Optional[Rows]:
        bounds = [self.integer(arg.value, view) for arg in call.args if arg.keyword is None]
        if len(bounds) == 1 and bounds[0] is not None:
            return Rows(bounds[0])
        if len(bounds) >= 2 and None not in bounds[:2]:
            step = bounds[2] if len(bounds) > 2 and bounds[2] else 1
            return Rows(max(0, math.ceil((bounds[1] - bounds[0]) / step)))
        return None

    def _concatenate(self, call: cst.Call, view: View) -> Optional[Rows]:
        axis = self.integer(keyword_argument(call, "axis") or positional_argument(call, 1), view)
        parts = self.value(positional_argument(call, 0) or keyword_argument(call, "values"), view)
        if not isinstance(parts, Seq) or not parts.items or not all(isinstance(p, Rows) for p in parts.items):
            return None
        if axis not in (None, 0):
            return parts.items[0]
        counts = [p.count for p in parts.items]
        if None in counts:
            loaded = [p for p in parts.items if p.loaded]
            return loaded[0] if loaded else None
        return Rows(sum(counts), origin=parts.items[0].origin)

    def _expand_dims(self, call: cst.Call, view: View) -> Optional[Rows]:
        inner = self.value(positional_argument(call, 0), view)
        axis = self.integer(argument(call, 1, "axis"), view)
        if axis == 0:
            return Rows(1, origin="one row")
        return inner if isinstance(inner, Rows) else None

    def _reshape(self, source: object, shape_expr, view: View) -> Optional[Rows]:
        if not isinstance(source, Rows):
            return None
        shape = self.value(shape_expr, view)
        first = shape.items[0] if isinstance(shape, Seq) and shape.items else shape
        if isinstance(first, Int):
            return source if first.value == -1 else source.with_count(first.value)
        return source  # a symbolic first dimension (len(x), n) keeps the rows in practice

    # -- subscripts ------------------------------------------------------------------------------
    def _subscript(self, expr: cst.Subscript, view: View) -> object:
        base = self.value(expr.value, view)
        if not expr.slice:
            return None
        first = expr.slice[0].slice
        if isinstance(base, Seq) and isinstance(first, cst.Index):
            index = self.integer(first.value, view)
            return base.items[index] if index is not None and -len(base.items) <= index < len(base.items) else None
        if isinstance(base, Shape) and isinstance(first, cst.Index) and self.integer(first.value, view) == 0:
            return Int(base.rows.count) if base.rows.count is not None else None
        if isinstance(base, H5Node):
            return self._loaded("h5py") if _reads_everything(first) else H5Node()
        if isinstance(first, cst.Index) and _is_new_axis(first.value, self.analysis):
            return Rows(1, origin="one row")
        if not isinstance(base, Rows):
            return None
        if isinstance(first, cst.Slice):
            return self._sliced(base, first, view)
        if isinstance(first.value, (cst.SimpleString, cst.ConcatenatedString)) or _is_string_list(first.value):
            return base  # DataFrame column selection keeps the rows
        if isinstance(first.value, cst.Ellipsis):
            return base
        if self._is_integer_index(first.value, view):
            return Rows(1, origin="one row")
        return None  # an index array or mask: the row count depends on the data

    def _is_integer_index(self, expr: cst.BaseExpression, view: View) -> bool:
        """An int literal, a known int, or a counter of an enclosing `for i in range(...)` / enumerate."""
        if self.integer(expr, view) is not None:
            return True
        if isinstance(expr, cst.BinaryOperation):
            return self._is_integer_index(expr.left, view) and self._is_integer_index(expr.right, view)
        return isinstance(expr, cst.Name) and expr.value in self.analysis.context.counters_around(expr)

    def _sliced(self, base: Rows, piece: cst.Slice, view: View) -> Optional[Rows]:
        lower = piece.lower
        upper = piece.upper
        step = self.integer(piece.step, view) if piece.step is not None else 1
        if step is None or step <= 0:
            return None
        if lower is None and upper is None:
            return base if step == 1 else base.with_count(None if base.count is None else math.ceil(base.count / step))
        count = self._slice_length(base, lower, upper, view)
        return None if count is None else base.with_count(math.ceil(count / step))

    def _slice_length(self, base: Rows, lower, upper, view: View) -> Optional[int]:
        low = 0 if lower is None else self.integer(lower, view)
        high = base.count if upper is None else self.integer(upper, view)
        if low is not None and low < 0 and upper is None:
            return -low if base.count is None else min(-low, base.count)
        if low is not None and high is not None:
            if base.count is not None:
                low, high = _clamp(low, base.count), _clamp(high, base.count)
            return max(0, high - low)
        if lower is not None and upper is not None:
            return self._symbolic_width(lower, upper, view)
        return None

    def _symbolic_width(self, lower, upper, view: View) -> Optional[int]:
        """`x[i:i + b]`, `x[i * b:(i + 1) * b]`: the width is b whatever i is."""
        atoms: Dict[str, cst.BaseExpression] = {}
        low = row_facts.polynomial(lower, self.analysis.code, atoms)
        high = row_facts.polynomial(upper, self.analysis.code, atoms)
        if low is None or high is None:
            return None
        width = row_facts.difference(high, low)
        if not width:
            return 0
        if list(width) == [()]:
            return width[()]
        if len(width) == 1:
            (term, coeff), = width.items()
            if len(term) == 1 and coeff == 1:
                return self.integer(atoms[term[0]], view)
        return None


def _rows_from(count: Optional[int]) -> Optional[Rows]:
    return Rows(count) if count is not None else None


def _clamp(index: int, length: int) -> int:
    return max(0, min(length, index + length if index < 0 else index))


def _fold(operator: cst.BaseBinaryOp, left: int, right: int) -> Optional[Int]:
    if isinstance(operator, cst.Add):
        return Int(left + right)
    if isinstance(operator, cst.Subtract):
        return Int(left - right)
    if isinstance(operator, cst.Multiply):
        return Int(left * right)
    if isinstance(operator, cst.FloorDivide) and right:
        return Int(left // right)
    if isinstance(operator, cst.Divide) and right and left % right == 0:
        return Int(left // right)
    if isinstance(operator, cst.Power) and 0 <= right < 64:
        return Int(left ** right)
    return None


def _index_literal(expr: cst.BaseExpression, path: Tuple[int, ...]) -> Optional[cst.BaseExpression]:
    for index in path:
        if not isinstance(expr, (cst.Tuple, cst.List)) or index >= len(expr.elements):
            return None
        expr = expr.elements[index].value
    return expr


def _index_value(value: object, path: Tuple[int, ...]) -> object:
    for index in path:
        if not isinstance(value, Seq) or index >= len(value.items):
            return None
        value = value.items[index]
    return value


def _reads_everything(piece) -> bool:
    if isinstance(piece, cst.Slice):
        return piece.lower is None and piece.upper is None
    return isinstance(piece.value, cst.Tuple) and not piece.value.elements


def _is_new_axis(expr: cst.BaseExpression, analysis) -> bool:
    if isinstance(expr, cst.Name) and expr.value == "None":
        return True
    return any(q in {"numpy.newaxis", "tensorflow.newaxis"} for q in analysis.qualified_names(expr))


def _is_string_list(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.List) and bool(expr.elements) and all(
        isinstance(e.value, cst.SimpleString) for e in expr.elements)
