"""Rewrites shared by the forward-pass rules: predict(...) and a batched call through an inserted helper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Optional

import libcst as cst

from tflint_bnn.fixes.edits import adapt_newlines, join_arguments, replace_node
from tflint_bnn.findings import Applicability, Edit, Fix

if TYPE_CHECKING:
    from tflint_bnn.analysis import ModuleAnalysis
    from tflint_bnn.analysis.forward import ForwardSite
    from tflint_bnn.analysis.values import ModelInfo

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


@dataclass(frozen=True)
class Safety:
    applicability: Optional[Applicability]  # None: no fix keeps the meaning closely enough to offer one
    reason: str


def batching_safety(model: "ModelInfo", training: Optional[str]) -> Safety:
    """Does calling `model` per batch give the same per-row results as one call on all rows?"""
    if model.distribution_head:
        return Safety(None, "the model returns a distribution per call, and per-batch distributions cannot be joined")
    training_mode = training in ("True", "dynamic")
    reasons = []
    if model.tfp_random:
        reasons.append("tfp layers draw one weight sample per call: each batch gets its own draw, so each row's "
                       "distribution is unchanged but rows in different batches are no longer correlated")
    if training_mode and model.batchnorm:
        reasons.append("BatchNormalization in training mode normalises each batch with its own statistics, so rows "
                       "depend on their batch mates, and updates its moving averages once per batch")
    if training_mode and model.shared_mask:
        reasons.append("a dropout noise_shape can share one mask across rows: per-batch calls draw one mask per "
                       "batch instead of one for all rows")
    if not model.layers_visible:
        reasons.append("the model's layers are not visible here; batching changes results only if a layer mixes "
                       "rows across the batch")
    if reasons:
        return Safety(Applicability.UNSAFE, "; ".join(reasons))
    return Safety(Applicability.SAFE, "")


def fix_blocked_by_context(analysis: "ModuleAnalysis", node: cst.CSTNode) -> bool:
    """Under a GradientTape every batch's activations are kept for the gradient, and inside a tf.function the
    helper's Python loop would be traced: batching there neither frees memory nor runs as written."""
    return analysis.context.in_gradient_tape(node) or analysis.context.in_tf_function(node)


def helper_edit(analysis: "ModuleAnalysis", flavour: str) -> Optional[Edit]:
    """The edit that defines the helper after the module's leading imports; None when it is already there."""
    module = analysis.module
    if _defines_helper(module):
        return None
    row = _row_after_leading_imports(analysis)
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
            return [p.name.value for p in statement.params.params] == HELPER_PARAMS
    return False


def _row_after_leading_imports(analysis: "ModuleAnalysis") -> int:
    row = 1
    for index, statement in enumerate(analysis.module.body):
        if not isinstance(statement, cst.SimpleStatementLine):
            break
        small = statement.body[0] if statement.body else None
        is_docstring = index == 0 and isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)
        if not (is_docstring or isinstance(small, (cst.Import, cst.ImportFrom))):
            break
        row = analysis.end(statement)[0] + 1
    return row


def call_arguments(analysis: "ModuleAnalysis", call: cst.Call, *, drop_input: bool = True,
                   override: Optional[Dict[str, str]] = None, drop: frozenset = frozenset()) -> List[str]:
    """The call's keyword arguments as source text, without the input, `drop` names, with `override` applied."""
    override = dict(override or {})
    parts = []
    seen_input = not drop_input
    for arg in call.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword is None and not arg.star:
            if not seen_input:
                seen_input = True
                continue
            parts.append(analysis.code(arg.value))
            continue
        if keyword in ("x", "inputs") and not seen_input:
            seen_input = True
            continue
        if keyword in drop:
            continue
        if keyword in override:
            parts.append(f"{keyword}={override.pop(keyword)}")
            continue
        parts.append(_argument_code(analysis, arg))
    parts.extend(f"{key}={value}" for key, value in override.items())
    return parts


def _argument_code(analysis: "ModuleAnalysis", arg: cst.Arg) -> str:
    value = analysis.code(arg.value)
    if arg.keyword is not None:
        return f"{arg.keyword.value}={value}"
    return f"{arg.star}{value}"


def predict_text(analysis: "ModuleAnalysis", model_expr: cst.BaseExpression, input_expr: cst.BaseExpression,
                 batch_size: int) -> str:
    return f"{analysis.code(model_expr)}.predict({analysis.code(input_expr)}, batch_size={batch_size}, verbose=0)"


def batched_text(analysis: "ModuleAnalysis", site: "ForwardSite", batch_size: int, kwargs: List[str]) -> str:
    return (f"{HELPER_NAME}(" + join_arguments([analysis.code(site.model_expr), analysis.code(site.input_expr),
                                                str(batch_size), *kwargs]) + ")")


def fix_message(action: str, reason: str) -> str:
    return f"{action} ({reason})" if reason else action


def forward_fix(analysis: "ModuleAnalysis", node: cst.CSTNode, text: str, applicability: Applicability,
                message: str, helper_flavour: Optional[str]) -> Fix:
    """Replace `node` with `text`; with `helper_flavour`, also define the helper if the module lacks it."""
    edits = [replace_node(analysis, node, text)]
    if helper_flavour is not None:
        helper = helper_edit(analysis, helper_flavour)
        if helper is not None:
            edits.insert(0, helper)
    return Fix(applicability, message, tuple(edits))


def numpy_chain(analysis: "ModuleAnalysis", call: cst.Call) -> Optional[cst.Call]:
    """`call.numpy()` as written around `call`, or None."""
    attribute = analysis.parent(call)
    outer = analysis.parent(attribute) if attribute is not None else None
    if (isinstance(attribute, cst.Attribute) and attribute.attr.value == "numpy" and isinstance(outer, cst.Call)
            and outer.func is attribute and not outer.args):
        return outer
    return None
