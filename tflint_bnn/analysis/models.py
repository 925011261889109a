"""Recognise Keras models and what their layers do: randomness, BatchNormalization, distribution heads."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, List, Optional, Tuple

import libcst as cst

from tflint_bnn.analysis.syntax import is_constant, keyword_argument, walk
from tflint_bnn.analysis.names import keras_flavour, keras_tail, last_part, tfp_tail
from tflint_bnn.analysis.values import Int, LayerInfo, ModelInfo

if TYPE_CHECKING:
    from tflint_bnn.analysis.evaluate import Evaluator
    from tflint_bnn.analysis.resolve import View

DROPOUT_LIKE = {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianDropout",
                "GaussianNoise", "AlphaDropout"}
BATCHNORM = {"BatchNormalization", "SyncBatchNormalization"}
TFP_DISTRIBUTION_HEADS = {"DistributionLambda", "IndependentNormal", "IndependentBernoulli", "IndependentLogistic",
                          "IndependentPoisson", "MultivariateNormalTriL", "OneHotCategorical",
                          "CategoricalMixtureOfOneHotCategorical", "MixtureSameFamily", "MixtureNormal",
                          "MixtureLogistic", "VariationalGaussianProcess"}
_MAX_NAME_HOPS = 20  # `a = b; b = c; ...`: a longer chain of names (or a cycle) is not followed
_TFP_RANDOM_MARKERS = ("Flipout", "Reparameterization", "Variational")
SEQUENTIAL = {"Sequential", "models.Sequential"}
FUNCTIONAL = {"Model", "models.Model"}
LOADERS = {"models.load_model", "saving.load_model", "load_model"}
INPUTS = {"Input", "layers.Input", "InputLayer", "layers.InputLayer"}


def keras_layer(tail: str, call: Optional[cst.Call], evaluator: "Evaluator", view: "View") -> Optional[LayerInfo]:
    """A Keras layer constructor (`layers.Dense`, `Dense` via from-import) -> LayerInfo."""
    if not tail.startswith("layers."):
        return None
    name = last_part(tail)
    units = None
    if name == "Dense" and call is not None and call.args:
        units_value = evaluator.value(call.args[0].value, view)
        units = units_value.value if isinstance(units_value, Int) else None
    # A noise_shape with a 1 in the batch axis shares one dropout mask across rows: rows become coupled.
    shared_mask = name in DROPOUT_LIKE and call is not None and keyword_argument(call, "noise_shape") is not None
    return LayerInfo(name, dropout_like=name in DROPOUT_LIKE, batchnorm=name in BATCHNORM, units=units,
                     shared_mask=shared_mask)


def tfp_layer(tail: str) -> Optional[LayerInfo]:
    if not tail.startswith("layers."):
        return None
    name = last_part(tail)
    return LayerInfo(
        name,
        always_random=any(marker in name for marker in _TFP_RANDOM_MARKERS),
        distribution=name in TFP_DISTRIBUTION_HEADS,
        tfp=True,
    )


def model_from_keras_call(tail: str, qualified: str, call: cst.Call, evaluator: "Evaluator",
                          view: "View") -> Optional[ModelInfo]:
    flavour = keras_flavour(qualified)
    if tail in SEQUENTIAL:
        return _sequential(call, flavour, evaluator, view)
    if tail in FUNCTIONAL:
        return _functional(call, flavour, evaluator, view)
    if tail in LOADERS:
        return ModelInfo(flavour=flavour)
    if tail.startswith("applications."):
        # Pretrained architectures: BatchNormalization-heavy, one output, layers not listed here.
        return ModelInfo(layers=(LayerInfo("BatchNormalization", batchnorm=True),), outputs=1, flavour=flavour)
    if tail in {"backend.function", "backend.Function"}:
        return _backend_function(call, flavour, evaluator, view)
    return None


def _sequential(call: cst.Call, flavour: str, evaluator: "Evaluator", view: "View") -> ModelInfo:
    layers: List[LayerInfo] = []
    visible = True
    layer_list = call.args[0].value if call.args and call.args[0].keyword is None else keyword_argument(call, "layers")
    if isinstance(layer_list, (cst.List, cst.Tuple)):
        for element in layer_list.elements:
            if _is_input(element.value, evaluator):
                continue  # keras.Input(shape=...) declares the input; it computes nothing
            layer = evaluator.layer(element.value, view)
            visible &= layer is not None and layer.known
            if layer is not None:
                layers.append(layer)
    elif layer_list is not None:
        visible = False
    for added in evaluator.analysis.sequential_additions(call):
        layer = evaluator.layer(added, view)
        visible &= layer is not None and layer.known
        if layer is not None:
            layers.append(layer)
    return ModelInfo(layers=tuple(layers), layers_visible=visible, outputs=1, flavour=flavour)


def _is_input(expr: cst.BaseExpression, evaluator: "Evaluator") -> bool:
    return isinstance(expr, cst.Call) and any(
        keras_tail(q) in INPUTS for q in evaluator.analysis.qualified_names(expr.func))


def _functional(call: cst.Call, flavour: str, evaluator: "Evaluator", view: "View") -> ModelInfo:
    outputs = keyword_argument(call, "outputs")
    if outputs is None and len(call.args) >= 2 and call.args[1].keyword is None:
        outputs = call.args[1].value
    if outputs is None:
        return ModelInfo(flavour=flavour)
    layers, visible = GraphTracer(evaluator, view).trace(outputs)
    return ModelInfo(layers=tuple(layers), layers_visible=visible, outputs=_output_count(outputs, evaluator, view),
                     flavour=flavour)


def _backend_function(call: cst.Call, flavour: str, evaluator: "Evaluator", view: "View") -> ModelInfo:
    inputs = call.args[0].value if call.args else keyword_argument(call, "inputs")
    learning_phase = False
    if inputs is not None:
        for node in walk(inputs):
            if isinstance(node, cst.Call) and any(
                (keras_tail(q) or "").endswith("learning_phase") for q in evaluator.analysis.qualified_names(node.func)
            ):
                learning_phase = True
    outputs = call.args[1].value if len(call.args) > 1 else keyword_argument(call, "outputs")
    return ModelInfo(kind="backend.function", outputs=_output_count(outputs, evaluator, view),
                     flavour=flavour, learning_phase_input=learning_phase)


def _output_count(outputs: Optional[cst.BaseExpression], evaluator: "Evaluator", view: "View",
                  depth: int = 0) -> Optional[int]:
    """How many outputs the model returns; None when that is not visible here (`keras.Model(inputs, heads)` with
    `heads` built elsewhere), so that no fix assumes a single array."""
    if isinstance(outputs, (cst.List, cst.Tuple, cst.Dict)):
        return len(outputs.elements)
    if isinstance(outputs, cst.Name) and depth < _MAX_NAME_HOPS:
        return _output_count(evaluator.assigned_expression(outputs, view), evaluator, view, depth + 1)
    if isinstance(outputs, cst.Call) and evaluator.layer(outputs.func, view) is not None:
        return 1  # a layer applied to a tensor
    return None


def model_from_class(classdef: cst.ClassDef, evaluator: "Evaluator", view: "View") -> Optional[ModelInfo]:
    """Instances of a class deriving (directly or through local classes) from keras Model."""
    base = evaluator.analysis.keras_base_of(classdef)
    if base is None or last_part(base[0]) not in {"Model", "Sequential"}:
        return None
    layers = [layer for layer in _layers_constructed_in(classdef, evaluator, view)]
    forced_training = _forces_training(classdef)
    if forced_training:
        layers = [_forced(layer) for layer in layers]
    return ModelInfo(layers=tuple(layers), layers_visible=False, outputs=None, flavour=keras_flavour(base[1]))


def layer_from_class(classdef: cst.ClassDef, evaluator: "Evaluator") -> Optional[LayerInfo]:
    """A local subclass of a Keras layer: a Dropout subclass whose call forces training=True is always random."""
    base = evaluator.analysis.keras_base_of(classdef)
    if base is None or not base[0].startswith("layers."):
        return None
    name = last_part(base[0])
    if name in DROPOUT_LIKE:
        info = LayerInfo(classdef.name.value, dropout_like=True)
        return _forced(info) if _forces_training(classdef) else info
    return LayerInfo(classdef.name.value, known=False)


def _forced(layer: LayerInfo) -> LayerInfo:
    """A dropout layer applied with training=True: random on every call, even in inference."""
    return replace(layer, dropout_like=False, always_random=True) if layer.dropout_like else layer


def _forces_training(node: cst.CSTNode) -> bool:
    return any(isinstance(n, cst.Call) and _training_true(n) for n in walk(node))


def _training_true(call: cst.Call) -> bool:
    return is_constant(keyword_argument(call, "training"), "True")


def _layers_constructed_in(node: cst.CSTNode, evaluator: "Evaluator", view: "View") -> Iterable[LayerInfo]:
    for inner in walk(node):
        if isinstance(inner, cst.Call):
            layer = evaluator.layer(inner, view)
            if layer is not None:
                yield layer


class GraphTracer:
    """Walk a functional graph back from its outputs, collecting the layers it applies."""

    def __init__(self, evaluator: "Evaluator", view: "View"):
        self._evaluator = evaluator
        self._view = view
        self._seen: set = set()
        self.layers: List[LayerInfo] = []
        self.visible = True

    def trace(self, expr: cst.BaseExpression) -> Tuple[List[LayerInfo], bool]:
        self._visit(expr, depth=0)
        return self.layers, self.visible

    def _visit(self, expr: cst.BaseExpression, depth: int) -> None:
        if id(expr) in self._seen or depth > 200:
            return
        self._seen.add(id(expr))
        analysis = self._evaluator.analysis
        if isinstance(expr, (cst.List, cst.Tuple)):
            for element in expr.elements:
                self._visit(element.value, depth + 1)
        elif isinstance(expr, cst.Dict):
            for element in expr.elements:
                if isinstance(element, cst.DictElement):
                    self._visit(element.value, depth + 1)
        elif isinstance(expr, cst.Name):
            assigned = self._evaluator.assigned_expression(expr, self._view)
            if assigned is None:
                self.visible = False
            else:
                self._visit(assigned, depth + 1)
        elif isinstance(expr, cst.Call):
            self._visit_call(expr, analysis, depth)
        else:
            self.visible = False

    def _visit_call(self, call: cst.Call, analysis, depth: int) -> None:
        tails = {keras_tail(q) for q in analysis.qualified_names(call.func)}
        if tails & INPUTS:
            return
        layer = self._evaluator.layer(call.func, self._view)
        if layer is not None:
            if _training_true(call):
                layer = _forced(layer)
            self.layers.append(layer)
            self.visible &= layer.known
        else:
            sub_model = self._evaluator.value(call.func, self._view)
            if isinstance(sub_model, ModelInfo):
                self.layers.extend(sub_model.layers)
                self.visible &= sub_model.layers_visible
            elif not self._is_tensor_op(tails, analysis, call):
                self.visible = False
        for arg in call.args:
            self._visit(arg.value, depth + 1)

    @staticmethod
    def _is_tensor_op(tails, analysis, call: cst.Call) -> bool:
        qualified = analysis.qualified_names(call.func)
        return any(q.startswith("tensorflow.") for q in qualified) or any(
            t is not None and (t.startswith("ops.") or t.startswith("layers.") or t.startswith("backend."))
            for t in tails
        ) or any(tfp_tail(q) is not None for q in qualified)
