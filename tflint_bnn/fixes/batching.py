"""Text of the rewrites shared by the forward-pass rules: predict(...), a direct call, and a batched call through
an inserted helper. Whether a rewrite keeps the program's meaning is the rules' decision (rules/batching.py)."""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from tflint_bnn.analysis.vocabulary import FIX_HELPER_NAME, FIX_HELPER_PARAMS
from tflint_bnn.findings import Edit
from tflint_bnn.fixes.edits import adapt_newlines
from tflint_bnn.fixes.view import CstView

HELPER_NAME = FIX_HELPER_NAME
HELPER_PARAMS = list(FIX_HELPER_PARAMS)
_DOCSTRING = '''{i}"""Call `model` on `batch_size` rows at a time and join the outputs (written by tflint-bnn --fix).

{i}Activation memory then grows with batch_size instead of len(x). Each row gets what one call on all
{i}of x gives it; random layers give the same distribution with fresh draws. The first and last batches
{i}run eagerly (the first builds the model; the last leaves eager values in `model.losses`); the batches
{i}between run through a traced graph, reused only while the model's layers, variables, layer settings
{i}(a Dropout rate, an activation) and these keyword arguments are the ones it was traced with.
{i}"""
'''
# Why the helper is written this way (field guide §11, measured on fixed programs): a graph cached per model
# outlives model.pop(), a swapped activation or a new Dropout rate, so the graph's key holds everything tracing
# fixes; a model called inside a tf.function leaves graph tensors in `model.losses`, so the last batch runs
# eagerly; eager batches alone ran 1.9x slower than one full call on Keras 3, so the batches between are traced;
# dicts, lists and tuples of inputs are sliced entry by entry. A traced graph is used only for array and tensor
# inputs and plain keyword values: anything else (a DataFrame, a mask array) would be frozen into the graph or
# retrace on every call, so it runs eagerly.
_BODY = '''def {name}(model, x, batch_size, **call_kwargs):
{docstring}{imports}
{i}def rows(start):
{i}{i}return {tree}.map_structure(lambda part: part[start:start + batch_size], x)

{i}def joined(parts):
{i}{i}return {tree}.map_structure(lambda *pieces: {concat}, *parts)

{i}starts = range(0, len({tree}.flatten(x)[0]), batch_size)
{i}if len(starts) < 3:
{i}{i}return joined([model(rows(start), **call_kwargs) for start in starts] or [model(x, **call_kwargs)])
{i}parts = [model(rows(0), **call_kwargs)]
{i}plain = (bool, int, float, str, type(None))
{i}step = None
{i}if ({traceable}hasattr(model, "_flatten_layers")
{i}{i}{i}and all(isinstance(value, plain) for value in call_kwargs.values())
{i}{i}{i}and all(isinstance(leaf, (np.ndarray, tf.Tensor)) for leaf in {tree}.flatten(x))):
{i}{i}# What tracing fixes: the layers, the variables, the layers' Python settings, the keyword arguments.
{i}{i}settings = [(name, value) for layer in model._flatten_layers() for name, value in vars(layer).items()
{i}{i}            if isinstance(value, plain) or callable(value) and not hasattr(value, "weights")]
{i}{i}held = [*model._flatten_layers(include_self=False), *model.weights,
{i}{i}        *(value for _, value in settings if not isinstance(value, plain))]
{i}{i}key = (sorted(call_kwargs.items()), [id(thing) for thing in held],
{i}{i}       [(name, value) for name, value in settings if isinstance(value, plain)])
{i}{i}graphs = {name}.__dict__.setdefault("graphs", weakref.WeakKeyDictionary()).setdefault(model, [])
{i}{i}# Ids name the same objects only while those objects live: a graph whose objects all live is theirs.
{i}{i}step = next((graph for made, refs, graph in graphs
{i}{i}             if made == key and all(ref() is not None for ref in refs)), None)
{i}{i}try:
{i}{i}{i}refs = [weakref.ref(thing) for thing in held] if step is None else None
{i}{i}except TypeError:  # something no weak reference can watch (a NumPy ufunc as activation): stay eager
{i}{i}{i}refs = None
{i}{i}if refs is not None:
{i}{i}{i}model_ref, kwargs = weakref.ref(model), dict(call_kwargs)
{i}{i}{i}step = tf.function(lambda batch: model_ref()(batch, **kwargs))
{i}{i}{i}graphs[:] = [*graphs[-3:], (key, refs, step)]  # a few graphs per model, the newest kept
{i}parts += [step(rows(start)) if step else model(rows(start), **call_kwargs) for start in starts[1:-1]]
{i}parts.append(model(rows(starts[-1]), **call_kwargs))
{i}return joined(parts)
'''
_FLAVOURS = {
    # tf.keras / tf_keras.
    "tensorflow": dict(imports="{i}import weakref\n\n{i}import numpy as np\n{i}import tensorflow as tf\n",
                       tree="tf.nest", concat="tf.concat(pieces, axis=0)", traceable=""),
    # Standalone Keras 3 may run on JAX or PyTorch: keras.tree and keras.ops work on every backend, and only the
    # TensorFlow backend traces the batches between the first and the last.
    "keras3": dict(imports=("{i}import weakref\n\n{i}import keras\n{i}import numpy as np\n\n"
                            "{i}if keras.backend.backend() == \"tensorflow\":\n{i}{i}import tensorflow as tf\n"),
                   tree="keras.tree", concat="keras.ops.concatenate(pieces, axis=0)",
                   traceable="keras.backend.backend() == \"tensorflow\" and "),
}
# predict's batching and logging arguments: a direct call drops them without changing results. Any other
# predict argument (steps, callbacks, ...) has no direct-call equivalent, so no fix is offered.
PREDICT_BATCHING_ARGUMENTS = frozenset({"batch_size", "verbose"})


def helper_edit(view: CstView, flavour: str) -> Optional[Edit]:
    """The edit that defines the helper after the module's leading imports; None when it is already there."""
    module = view.module
    if _defines_helper(module):
        return None
    row = _row_after_leading_imports(view)
    text = helper_source(flavour, module.default_indent)
    return Edit((row, 0), (row, 0), adapt_newlines(text, module.default_newline))


def helper_source(flavour: str, indent: str = "    ") -> str:
    """The helper's definition as inserted, with the blank lines around it."""
    parts = {key: value.format(i=indent) for key, value in _FLAVOURS[flavour].items()}
    text = _BODY.format(name=HELPER_NAME, i=indent, docstring=_DOCSTRING.format(i=indent), **parts)
    return "\n\n" + text + "\n"


def helper_name_taken(module: cst.Module) -> bool:
    """Another top-level definition already uses the helper's name: no batched fix then."""
    for statement in module.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == HELPER_NAME:
            return not _defines_helper(module)
    return False


def _defines_helper(module: cst.Module) -> bool:
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == HELPER_NAME:
            return [p.name.value for p in statement.params.params][:len(HELPER_PARAMS)] == HELPER_PARAMS
    return False


def _row_after_leading_imports(view: CstView) -> int:
    row = 1
    for index, statement in enumerate(view.module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body[0] if statement.body else None
        is_docstring = index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
        if not (is_docstring or isinstance(small, (cst.Import, cst.ImportFrom))):
            break
        row = view.end(statement)[0] + 1
    return row


def call_arguments(view: CstView, call: cst.Call, *, drop_input: bool = True, override: Optional[Dict[str, str]] = None,
                   drop: frozenset = frozenset(), training_position: Optional[int] = None) -> List[str]:
    """The call's arguments after the input as source text: without `drop` names, with `override` applied, and
    the positional argument at `training_position` (0-based among positionals) written as `training=`."""
    override = dict(override or {})
    parts = []
    positional = 0
    seen_input = not drop_input
    for arg in call.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is None and not arg.star:
            value = view.code(arg.value)
            if positional == training_position:
                keyword = "training"
                positional += 1
                if keyword in override:
                    parts.append(f"training={override.pop(keyword)}")
                elif keyword not in drop:
                    parts.append(f"training={value}")
                continue
            positional += 1
            if not seen_input:
                seen_input = True
                continue
            parts.append(value)
            continue
        if keyword in ("x", "inputs") and not seen_input:
            seen_input = True
            continue
        if keyword in drop:
            continue
        if keyword in override:
            parts.append(f"{keyword}={override.pop(keyword)}")
            continue
        parts.append(_argument_code(view, arg))
    parts.extend(f"{key}={value}" for key, value in override.items())
    return parts


def _argument_code(view: CstView, arg: cst.Arg) -> str:
    value = view.code(arg.value)
    if arg.keyword is not None:
        return f"{arg.keyword.value}={value}"
    return f"{arg.star}{value}"


def numpy_chain(view: CstView, call: cst.Call) -> Optional[cst.Call]:
    """`call.numpy()` as written around `call`, or None."""
    attribute = view.parent(call)
    outer = view.parent(attribute) if attribute is not None else None
    if (isinstance(attribute, cst.Attribute) and attribute.attr.value == "numpy" and isinstance(outer, cst.Call)
            and outer.func is attribute and not outer.args):
        return outer
    return None
