"""Forward passes: every call that runs a Keras model, with the model's facts and the rows it sees."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional

import libcst as cst

from tflint_bnn.analysis.resolve import View
from tflint_bnn.analysis.syntax import argument, is_constant, keyword_argument
from tflint_bnn.analysis.values import ModelInfo, Rows, Seq

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

PREDICT_METHODS = {"predict", "predict_on_batch", "__call__"}


@dataclass(frozen=True)
class ForwardSite:
    call: cst.Call
    model_expr: cst.BaseExpression  # the model as written: `model`, `tf.function(model)`, `self.net`
    input_expr: Optional[cst.BaseExpression]
    method: str  # "call", "predict", "predict_on_batch"
    model: ModelInfo
    rows: Optional[Rows]
    view: View

    @property
    def training(self) -> Optional[str]:
        """'True' / 'False' when written as a literal, 'dynamic' for another expression, None when absent."""
        value = keyword_argument(self.call, "training")
        if value is None:
            return None
        if is_constant(value, "True") or is_constant(value, "False"):
            return value.value
        return "dynamic"

    @property
    def stochastic(self) -> bool:
        """Does one pass draw fresh randomness?"""
        if self.model.always_random:
            return True
        if self.method == "call" and self.training == "True":
            return True
        return self.model.kind == "backend.function" and self.model.learning_phase_input and _feeds_one(self)

    @property
    def identical_samples(self) -> bool:
        """Randomness only in training mode, and this pass runs in inference mode: repeats give equal samples."""
        if not self.model.layers_visible or not self.model.dropout_like or self.model.always_random:
            return False
        return self.method in ("predict", "predict_on_batch") or (
            self.method == "call" and self.training in (None, "False"))


def _feeds_one(site: ForwardSite) -> bool:
    feed = site.input_expr
    return isinstance(feed, (cst.List, cst.Tuple)) and len(feed.elements) > 1 and isinstance(
        feed.elements[-1].value, cst.Integer) and feed.elements[-1].value.value == "1"


def collect(analysis: "ModuleAnalysis") -> List[ForwardSite]:
    sites = []
    for call in analysis.calls:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in PREDICT_METHODS:
            model_expr, method = func.value, ("call" if func.attr.value == "__call__" else func.attr.value)
        else:
            model_expr, method = func, "call"
        input_expr = argument(call, 0, "x") or keyword_argument(call, "inputs")
        for view in analysis.callsites.views(call):
            model = analysis.evaluator.model(model_expr, view)
            if model is None:
                continue
            rows = analysis.evaluator.rows(input_expr, view)
            sites.append(ForwardSite(call, model_expr, input_expr, method, model, rows, view))
    return sites


def is_multi_input(expr: Optional[cst.BaseExpression], analysis: "ModuleAnalysis", view: View) -> bool:
    return isinstance(expr, (cst.List, cst.Tuple, cst.Dict)) or isinstance(analysis.evaluator.value(expr, view), Seq)
