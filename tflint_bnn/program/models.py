"""Recognise Keras models and what their layers do: randomness, BatchNormalization, distribution heads, losses."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, FrozenSet, List, Optional, Tuple

from tflint_bnn.analysis import ir
from tflint_bnn.analysis.names import keras_package, keras_tail, last_part, tfp_tail
from tflint_bnn.analysis.summary import ModuleSummary
from tflint_bnn.analysis.vocabulary import (BACKEND_FUNCTIONS, BATCHNORM, CLONERS, DROPOUT_LIKE, FUNCTIONAL, INPUTS,
                                            LOADERS, ROW_MIXING_LAYERS, SEQUENTIAL, TFP_DISTRIBUTION_HEADS,
                                            TFP_RANDOM_MARKERS)
from tflint_bnn.program.values import FunctionValue, LayerInfo, Lib, LibObject, ModelInfo, TracedFunction

if TYPE_CHECKING:
    from tflint_bnn.program.evaluate import Arguments, Evaluator, Frame

_MAX_GRAPH_DEPTH = 200


def keras_layer(tail: str, args: "Arguments") -> Optional[LayerInfo]:
    """A Keras layer constructor (`layers.Dense`, `Dense` via from-import) -> LayerInfo."""
    if not tail.startswith("layers."):
        return None
    name = last_part(tail)
    if tail in INPUTS or name in ("Input", "InputLayer"):
        return None
    units = args.integer(0, "units") if name == "Dense" else None
    regularised = args.has("activity_regularizer") and not _is_none(args.ir(None, "activity_regularizer"))
    # A noise_shape with a 1 in the batch axis shares one dropout mask across rows: rows become coupled.
    return LayerInfo(name, dropout_like=name in DROPOUT_LIKE, batchnorm=name in BATCHNORM, units=units,
                     shared_mask=name in DROPOUT_LIKE and args.has("noise_shape"),
                     mixes_rows=name in ROW_MIXING_LAYERS, adds_losses=regularised)


def tfp_layer(tail: str, args: "Arguments") -> Optional[LayerInfo]:
    if not tail.startswith("layers."):
        return None
    name = last_part(tail)
    random = any(marker in name for marker in TFP_RANDOM_MARKERS)
    units = args.integer(0, "units") if name.startswith("Dense") else None
    # Variational layers add their KL divergence to model.losses on every call.
    return LayerInfo(name, always_random=random, distribution=name in TFP_DISTRIBUTION_HEADS, tfp=True,
                     adds_losses=random, units=units)


def model_from_keras_call(tail: str, qualified: str, args: "Arguments") -> Optional[ModelInfo]:
    package = keras_package(qualified) or "tf.keras"
    base = ModelInfo(package=package, keras3=runs_keras3(package, args.frame.module),
                     made_at=(args.frame.module.path, args.call.line))
    if tail in SEQUENTIAL:
        return _sequential(base, args)
    if tail in FUNCTIONAL:
        return _functional(base, args)
    if tail in LOADERS:
        return base
    if tail in CLONERS:  # the same architecture with fresh weights: a target network, an ensemble member
        cloned = args.value(0, "model")
        return cloned if isinstance(cloned, ModelInfo) else base
    if is_application_model(tail):
        # Pretrained architectures: BatchNormalization-heavy, one output, layers not listed here.
        return replace(base, layers=(LayerInfo("BatchNormalization", batchnorm=True),), outputs=1)
    if tail in BACKEND_FUNCTIONS:
        outputs = args.ir(1, "outputs")
        return replace(base, kind="backend.function", outputs=_output_count(outputs, args),
                       learning_phase_input=_feeds_learning_phase(args.ir(0, "inputs")))
    return None


def runs_keras3(package: str, module: ModuleSummary) -> bool:
    """TF >= 2.16 ships Keras 3 as tf.keras unless TF_USE_LEGACY_KERAS=1 comes before importing TensorFlow; a
    project that pins TensorFlow, TFP or Keras before Keras 3, or code that passes Keras 1 arguments Keras 3
    rejects, runs Keras 2 for both."""
    if module.declared_keras2 or module.keras1_arguments:
        return False
    return package == "keras" or (package == "tf.keras" and not module.legacy_keras)


def _sequential(base: ModelInfo, args: "Arguments") -> ModelInfo:
    layers: List[LayerInfo] = []
    visible = True
    listed = args.ir(0, "layers")
    if isinstance(listed, ir.Seq):
        for element in listed.items:
            if args.evaluator.is_keras_input(element, args.frame):
                continue  # keras.Input(shape=...) declares the input; it computes nothing
            layer = args.evaluator.layer(element, args.frame)
            visible &= layer is not None and layer.known
            if layer is not None:
                layers.append(layer)
    elif listed is not None:
        visible = False
    return replace(base, layers=tuple(layers), layers_visible=visible, outputs=1)


def with_layers(model: ModelInfo, added: List[Optional[LayerInfo]]) -> ModelInfo:
    """A Sequential after `model.add(layer)` calls."""
    visible = model.layers_visible and all(layer is not None and layer.known for layer in added)
    return replace(model, layers=model.layers + tuple(layer for layer in added if layer is not None),
                   layers_visible=visible)


def _functional(base: ModelInfo, args: "Arguments") -> ModelInfo:
    outputs = args.ir(1, "outputs")
    if outputs is None:
        return base
    layers, visible = GraphTracer(args.evaluator, args.frame).trace(outputs)
    return replace(base, layers=tuple(reversed(layers)), layers_visible=visible, outputs=_output_count(outputs, args))


def _output_count(outputs: Optional[ir.IR], args: "Arguments") -> Optional[int]:
    """How many outputs the model returns; None when that is not visible here (`keras.Model(inputs, heads)` with
    `heads` built elsewhere), so that no fix assumes a single array."""
    node, frame = args.evaluator.deref(outputs, args.frame)
    if isinstance(node, (ir.Seq, ir.DictLit)):
        return len(node.items) if isinstance(node, ir.Seq) else len(node.values)
    if isinstance(node, ir.Call) and args.evaluator.layer(node.func, frame) is not None:
        return 1  # a layer applied to a tensor
    return None


def _feeds_learning_phase(inputs: Optional[ir.IR]) -> bool:
    found = False

    def visit(node, depth=0):
        nonlocal found
        if found or depth > 20:
            return
        if isinstance(node, ir.Call):
            name = ir.dotted(node.func) or ""
            if name.endswith("learning_phase"):
                found = True
                return
        if isinstance(node, ir.Seq):
            for item in node.items:
                visit(item, depth + 1)

    visit(inputs)
    return found


def tf_function(args: "Arguments") -> object:
    """`tf.function(f)`: a model stays a model (still one pass per call); a Python function becomes traced."""
    if not args.count:
        return LibObject("tf.function factory")
    wrapped = args.value(0, "func")
    if isinstance(wrapped, ModelInfo):
        return replace(wrapped, kind="tf.function")
    return TracedFunction(wrapped if isinstance(wrapped, FunctionValue) else None)


def model_from_class(base: Tuple[str, str], layers: List[LayerInfo], forces_training: bool,
                     module: ModuleSummary, made_at: Tuple[str, int], overridden: FrozenSet[str]) -> ModelInfo:
    """Instances of a class deriving (directly or through the program's classes) from a Keras Model."""
    if forces_training:
        layers = [forced(layer) for layer in layers]
    package = keras_package(base[1]) or "tf.keras"
    return ModelInfo(layers=tuple(layers), layers_visible=False, outputs=None, package=package,
                     keras3=runs_keras3(package, module), made_at=made_at, overridden=overridden)


def layer_from_class(base_tail: str, name: str, forces_training: bool, draws_dropout: bool = False) -> LayerInfo:
    """A program's subclass of a Keras layer: a Dropout subclass whose call forces training=True always draws, and
    so does a plain Layer that applies a dropout function with training forced on (a `PermaDropout` calling
    `K.in_train_phase(lambda: K.dropout(x, rate), x, training=True)`)."""
    if last_part(base_tail) in DROPOUT_LIKE:
        info = LayerInfo(name, dropout_like=True)
        return replace(info, dropout_like=False, always_random=True) if forces_training else info
    if draws_dropout and forces_training:
        return LayerInfo(name, always_random=True)
    return LayerInfo(name, known=False)


def forced(layer: LayerInfo) -> LayerInfo:
    """A dropout layer applied with training=True in the graph: random in plain calls, and under tf_keras in
    inference too."""
    return replace(layer, dropout_like=False, forced_training=True) if layer.dropout_like else layer


def _is_none(node: Optional[ir.IR]) -> bool:
    return isinstance(node, ir.Const) and node.value is None


class GraphTracer:
    """Walk a functional graph back from its outputs, collecting the layers it applies."""

    def __init__(self, evaluator: "Evaluator", frame: "Frame"):
        self._evaluator = evaluator
        self._frame = frame
        self._seen: set = set()
        self.layers: List[LayerInfo] = []
        self.visible = True

    def trace(self, node: ir.IR) -> Tuple[List[LayerInfo], bool]:
        stack = [(node, self._frame, 0)]
        while stack:
            current, frame, depth = stack.pop()
            key = (id(current), id(frame))
            if key in self._seen or depth > _MAX_GRAPH_DEPTH:
                continue
            self._seen.add(key)
            stack.extend((child, child_frame, depth + 1) for child, child_frame in self._visit(current, frame))
        return self.layers, self.visible

    def _visit(self, node: ir.IR, frame: "Frame"):
        if isinstance(node, ir.Seq):
            return [(item, frame) for item in node.items]
        if isinstance(node, ir.DictLit):
            return [(value, frame) for value in node.values]
        if isinstance(node, (ir.Bind, ir.Param)):
            target, target_frame = self._evaluator.deref(node, frame)
            if target is None or target is node:
                self.visible = False
                return []
            return [(target, target_frame)]
        if isinstance(node, ir.Call):
            return self._call(node, frame)
        if isinstance(node, ir.Item):
            return [(node.obj, frame)]
        if isinstance(node, ir.Const):
            return []
        self.visible = False
        return []

    def _call(self, call: ir.Call, frame: "Frame"):
        evaluator = self._evaluator
        if evaluator.is_keras_input(call, frame):
            return []
        layer = evaluator.layer(call.func, frame)
        if layer is not None:
            training = dict(call.kwargs).get("training")
            if isinstance(training, ir.Const) and training.value is True:
                layer = forced(layer)
            self.layers.append(layer)
            self.visible &= layer.known
        else:
            callee = evaluator.value(call.func, frame)
            if isinstance(callee, ModelInfo):
                self.layers.extend(callee.layers)
                self.visible &= callee.layers_visible
            elif not _is_tensor_op(callee):
                self.visible = False
        return [(arg, frame) for arg in call.args] + [(value, frame) for name, value in call.kwargs
                                                      if name != "training"]


def _is_tensor_op(callee: object) -> bool:
    if not isinstance(callee, Lib):
        return False
    name = callee.name
    tail = keras_tail(name)
    return name.startswith("tensorflow.") and tail is None or tfp_tail(name) is not None or (
        tail is not None and tail.startswith(("ops.", "layers.", "backend.", "activations.")))


def is_application_model(tail: str) -> bool:
    """`applications.ResNet50`, `applications.resnet50.ResNet50`: an architecture constructor (capitalised), not
    one of the module's helpers (`preprocess_input`, `decode_predictions`), which make no model."""
    return tail.startswith("applications.") and tail.rsplit(".", 1)[-1][:1].isupper()
