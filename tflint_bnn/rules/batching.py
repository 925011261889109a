"""The forward-pass rules' shared fixes: when a batched rewrite keeps the program's meaning, and the plans that
write predict(...), the inserted batching helper, or a sliced input.

Safety is decided from what the rewrite does at run time (field guide §3, §9, §11): per-batch calls give each
row what one call gives it only when no layer mixes rows (BatchNormalization in training mode, a Lambda over the
batch, a shared dropout mask), when per-call state is not read afterwards (`model.losses` from activity
regularizers or tfp KL terms), and for inputs every call accepts (tf_keras rejects DataFrames in direct calls).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

import libcst as cst

from tflint_bnn.findings import Applicability, Edit, FixPlan
from tflint_bnn.fixes.batching import (HELPER_NAME, PREDICT_BATCHING_ARGUMENTS, call_arguments, helper_edit,
                                       helper_name_taken)
from tflint_bnn.fixes.edits import join_arguments
from tflint_bnn.fixes.view import CstView
from tflint_bnn.program.facts import ForwardPass


@dataclass(frozen=True)
class Safety:
    applicability: Optional[Applicability]  # None: no fix keeps the meaning closely enough to offer one
    reason: str


def direct_call_rejects(found: ForwardPass) -> Optional[str]:
    """Why a direct call of the model would reject the input predict took (no fix then), or None."""
    rows = found.rows
    if rows is not None and rows.frame and not found.model.keras3:
        return "tf_keras models reject a pandas DataFrame in a direct call"
    if rows is not None and rows.python_list:
        return "a direct call reads a Python list of numbers as one input per number"
    return None


def batching_safety(found: ForwardPass) -> Safety:
    """Does calling the model per batch give the same per-row results as one call on all rows?"""
    model = found.model
    if model.distribution_head:
        return Safety(None, "the model returns a distribution per call, and per-batch distributions cannot be joined")
    rejected = direct_call_rejects(found)
    if rejected:
        return Safety(None, rejected)
    training_mode = found.training in ("True", "dynamic")
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
    if model.mixes_rows:
        reasons.append("a Lambda layer may compute over the whole batch (a max, a mean, a sort): per-batch calls "
                       "would give rows different values")
    if model.adds_losses:
        reasons.append("the model adds activity-regularizer or tfp KL terms to `model.losses` on every call: after "
                       "per-batch calls they describe the last batch only")
    if not model.layers_visible:
        reasons.append("the model's layers are not visible here; batching changes results only if a layer mixes "
                       "rows across the batch")
    if reasons:
        return Safety(Applicability.UNSAFE, "; ".join(reasons))
    return Safety(Applicability.SAFE, "")


def fix_blocked(found: ForwardPass) -> bool:
    """No batching fix is written where it cannot help or cannot run as written: under a GradientTape every
    batch's activations are kept for the gradient; inside a tf.function the helper's Python loop would be traced;
    a pass whose model or rows come from the callers' arguments may see other models from other callers."""
    return found.site.tape is not None or found.traced or found.keras_step or not found.local


def message(action: str, reason: str) -> str:
    return f"{action} ({reason})" if reason else action


def predict_plan(found: ForwardPass, batch_size: int, applicability: Applicability, text: str) -> FixPlan:
    """`model(x).numpy()` / `model.predict_on_batch(x)` -> `model.predict(x, batch_size=B, verbose=0)`."""
    site = found.site
    target = site.numpy_chain if site.numpy_chain is not None and found.method == "call" else site.span

    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        call = view.node_at(site.span, cst.Call)
        replaced = view.node_at(target, cst.Call)
        if call is None or replaced is None or not call.args:
            return None
        receiver = call.func.value if isinstance(call.func, cst.Attribute) and found.method != "call" else call.func
        first = view.code(call.args[0].value)
        rewritten = f"{view.code(receiver)}.predict({first}, batch_size={batch_size}, verbose=0)"
        return (Edit(view.start(replaced), view.end(replaced), rewritten),)

    return FixPlan(applicability, text, build)


def sliced_predict_on_batch_plan(found: ForwardPass, batch_size: int, concatenate: str, text: str) -> FixPlan:
    """`model.predict_on_batch(x)` -> the same call on slices of `x`, joined: `concatenate([model.predict_on_batch(
    x[start:start + B]) for start in range(0, max(len(x), 1), B)])` (one call on an empty `x`, as before).

    Measured on the CNN fixture (docs/validation): 6.5-8.7x less work memory than one call over harness runs, where
    predict(batch_size=B) keeps a copy of the whole input and reached 4.3-4.9x. Only for a known single output and an input named by a
    plain name, which the comprehension reads once per slice."""
    site = found.site

    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        call = view.node_at(site.span, cst.Call)
        if call is None or len(call.args) != 1 or not isinstance(call.args[0].value, cst.Name):
            return None
        method = view.code(call.func)
        rows = view.code(call.args[0].value)
        rewritten = (f"{concatenate}([{method}({rows}[start:start + {batch_size}]) "
                     f"for start in range(0, max(len({rows}), 1), {batch_size})])")
        return (Edit(view.start(call), view.end(call), rewritten),)

    return FixPlan(Applicability.SAFE, text, build)


def helper_plan(found: ForwardPass, batch_size: int, applicability: Applicability, text: str,
                override: Optional[dict] = None) -> FixPlan:
    """`model(x, **kwargs)` -> `_batched_forward(model, x, B, **kwargs)`, defining the helper if needed."""
    site = found.site

    def build(view: CstView) -> Optional[Tuple[Edit, ...]]:
        call = view.node_at(site.span, cst.Call)
        if call is None or not call.args or helper_name_taken(view.module):
            return None
        receiver = call.func.value if isinstance(call.func, cst.Attribute) and found.method != "call" else call.func
        arguments = call_arguments(view, call, training_position=1 if found.method == "call" else None,
                                   override=override,
                                   drop=PREDICT_BATCHING_ARGUMENTS if found.method != "call" else frozenset())
        batched = (f"{HELPER_NAME}(" + join_arguments([view.code(receiver), view.code(call.args[0].value),
                                                       str(batch_size), *arguments]) + ")")
        edits = [Edit(view.start(call), view.end(call), batched)]
        helper = helper_edit(view, found.model.flavour)
        return tuple([helper, *edits] if helper is not None else edits)

    return FixPlan(applicability, text, build)


def extra_arguments(found: ForwardPass) -> bool:
    """Does the call pass anything but its input and a literal `training=False` (or predict's batching options)?"""
    allowed = PREDICT_BATCHING_ARGUMENTS if found.method != "call" else frozenset({"training"})
    positional = [arg for arg in found.site.args]
    if len(positional) > (2 if found.method == "call" and found.training == "False" else 1):
        return True
    return any(name not in allowed | {"x", "inputs"} for name, _ in found.site.kwargs)
