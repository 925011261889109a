"""Text of the rewrites shared by the forward-pass rules: predict(...), a direct call, and a batched call through
an inserted helper. Whether a rewrite keeps the program's meaning is the rules' decision (rules/batching.py)."""

from __future__ import annotations

from typing import Dict, List, Optional

import libcst as cst

from tflint_bnn.findings import Edit
from tflint_bnn.fixes.edits import adapt_newlines
from tflint_bnn.fixes.view import CstView

HELPER_NAME = "_batched_forward"
HELPER_PARAMS = ["model", "x", "batch_size"]
_DOCSTRING = '''{i}"""Call `model` on `batch_size` rows at a time and join the outputs (written by tflint-bnn --fix).

{i}Activation memory then grows with batch_size instead of len(x). Each row gets what one call on all
{i}of x gives it; random layers give the same distribution with fresh draws.
{i}"""
'''
_HELPERS = {
    # tf.keras / tf_keras: one graph per model, kept across calls. Eager per-batch calls of tfp layers were
    # measured to keep about 1.3 MiB each (300 calls: +377 MiB); a graph made anew per call repeats its draws.
    "tensorflow": '''def {name}(model, x, batch_size, **call_kwargs):
{docstring}{i}import weakref

{i}import tensorflow as tf

{i}# One traced graph per model and arguments, reused by later calls: random layers keep drawing fresh
{i}# samples, and tfp layers do not pay the memory every eager call costs them.
{i}graphs = {name}.__dict__.setdefault("graphs", weakref.WeakKeyDictionary())
{i}key = repr(sorted(call_kwargs.items()))
{i}step = graphs.setdefault(model, {{}}).get(key)
{i}if step is None:
{i}{i}model_ref = weakref.ref(model)
{i}{i}step = graphs[model][key] = tf.function(lambda batch: model_ref()(batch, **call_kwargs),
{i}{i}                                        reduce_retracing=True)
{i}parts = [step(x[start:start + batch_size]) for start in range(0, len(x), batch_size)]
{i}return tf.nest.map_structure(lambda *pieces: tf.concat(pieces, axis=0), *parts)
''',
    # Standalone Keras 3 may run on JAX or PyTorch: plain calls and keras.ops work on every backend.
    "keras3": '''def {name}(model, x, batch_size, **call_kwargs):
{docstring}{i}import keras

{i}parts = [model(x[start:start + batch_size], **call_kwargs) for start in range(0, len(x), batch_size)]
{i}return keras.tree.map_structure(lambda *pieces: keras.ops.concatenate(pieces, axis=0), *parts)
''',
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
    text = _HELPERS[flavour].format(name=HELPER_NAME, i=indent, docstring=_DOCSTRING.format(i=indent))
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
