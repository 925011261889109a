"""The facts rules read, computed from the whole program on demand: forward passes with their model, rows,
training mode and repetition (through callers), tf.functions and what calls them.

Rules never walk trees or IR themselves: a forward pass is found and described here once, and TFB101, 102,
103, 201-206 all read the same ForwardPass records.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Dict, FrozenSet, Iterator, List, Optional, Tuple

from tflint_bnn.analysis import ir
from tflint_bnn.analysis.names import keras_package, keras_tail
from tflint_bnn.analysis.summary import MODULE_SCOPE, Build, CallSite, FunctionSummary, ModuleSummary, TfFunctionMade
from tflint_bnn.analysis.vocabulary import (FIX_HELPER_NAME, FIX_HELPER_PARAMS, FORWARD_METHODS, FUNCTIONAL, LOADERS,
                                          RELAX_SHAPE_KEYWORDS, SEQUENTIAL)
from tflint_bnn.program.contexts import Contexts, Level, cached, total_count
from tflint_bnn.program.evaluate import Evaluator, Frame
from tflint_bnn.program.models import is_application_model, runs_keras3
from tflint_bnn.program.values import (Bool, BoundMethod, Callables, ClassValue, Distribution, Float, FunctionValue,
                                       Instance, Int, LayerInfo, Lib, ModelInfo, Record, Rows, Seq, TracedFunction)

# How many calls deep a factory may make the model it returns (`get_model()` -> `build_cnn()` -> `Sequential(...)`).
_FACTORY_DEPTH = 3
# Keras classes a subclass of which can hold tfp layers as sublayers.
_CONTAINER_BASES = {"Model", "Sequential", "Layer"}


@dataclass(frozen=True)
class ForwardPass:
    """One call that runs a Keras model, in one calling context."""

    module: ModuleSummary
    function: FunctionSummary
    site: CallSite
    method: str  # "call", "predict" or "predict_on_batch"
    model: ModelInfo
    rows: Optional[Rows]
    training: Optional[str]  # "True" / "False" written as a literal, "dynamic" for another expression, None absent
    levels: Tuple[Level, ...]  # the loops that repeat it, innermost first: its own, then its callers'
    origins: Tuple[str, ...]  # the calls that lead here (file:line), outermost first
    local: bool  # the model and rows are what the code here shows: a fix written here is right for every caller
    traced: bool  # runs as traced graph code: inside a tf.function
    keras_step: bool  # inside a Keras model's train_step / test_step / predict_step / call
    feeds_learning_phase: bool  # `K.function(...)([x, 1])`
    multi_input: bool  # a list, tuple or dict of inputs: slicing it like one array would break

    @property
    def mode(self) -> str:
        """How Keras runs the pass: "training", "inference", "plain" (no training argument) or "dynamic"."""
        if self.method in ("predict", "predict_on_batch") or self.training == "False":
            return "inference"
        if self.training == "True":
            return "training"
        return "dynamic" if self.training == "dynamic" else "plain"

    @property
    def stochastic(self) -> bool:
        """Does one pass draw fresh randomness? A model whose layers are not known at all (loaded from disk) is
        taken to when the code samples it: it repeats the same pass and keeps every output, which only a pass that
        draws makes worth doing (a model saved with MC dropout forced on)."""
        if self.model.kind == "keras" and not self.model.layers and self.sampling is not None:
            return self.mode != "inference"
        if self.model.kind == "backend.function":
            return self.model.learning_phase_input and self.feeds_learning_phase or self.model.random_in("plain")
        return self.mode != "dynamic" and self.model.random_in(self.mode)

    @property
    def identical_samples(self) -> bool:
        """Randomness only in training mode, and this pass runs without it: repeats give equal samples."""
        if not self.model.layers_visible or not self.model.dropout_like or self.mode in ("training", "dynamic"):
            return False
        return self.model.kind == "keras" and not self.model.random_in(self.mode)

    @property
    def training_step(self) -> bool:
        """A pass that trains the model: in a Keras train_step/test_step/call, or under a GradientTape whose gradient
        its result reaches (its batch size is the training's choice)."""
        return self.keras_step or (self.site.tape is not None and self.site.tape.reaches_gradient is True)

    @property
    def sampling(self) -> Optional[Level]:
        """The loop that repeats this pass unchanged and keeps each result: Monte Carlo sampling."""
        return self.levels[0] if self.levels and self.levels[0].monte_carlo else None

    @property
    def repeated(self) -> bool:
        return any(level.repeats for level in self.levels)

    @property
    def total(self) -> Optional[int]:
        return total_count(self.levels)


class ProgramFacts:
    """The facts of every linted module, from one evaluator and one set of calling contexts."""

    def __init__(self, modules: Dict[str, ModuleSummary], assume_loaded_large: bool = True):
        self.modules = modules
        self.evaluator = Evaluator(modules, assume_loaded_large)
        self.contexts = Contexts(self.evaluator)
        self._forward: Dict[str, List[ForwardPass]] = {}
        self._params: Dict[int, bool] = {}
        self._traced: Dict[Tuple[str, str], bool] = {}

    def forward_passes(self, path: str) -> List[ForwardPass]:
        if path not in self._forward:
            self._forward[path] = list(self._collect(self.modules[path]))
        return self._forward[path]

    def _collect(self, module: ModuleSummary) -> Iterator[ForwardPass]:
        evaluator = self.evaluator
        for function in module.functions.values():
            if not function.calls:
                continue
            direct = evaluator.direct(module, function.key)
            for site in function.calls:
                receiver = (ir.receiver(site.func) if site.method in FORWARD_METHODS else None) or site.func
                model = evaluator.model(receiver, direct)
                if model is None and not self._depends_on_parameters(receiver, module, function):
                    continue
                frames = self.contexts.frames(module, function)
                yield from self._passes(module, function, site, receiver, direct, frames)

    def passes_in(self, module: ModuleSummary, function: FunctionSummary, frames: List[Frame]) -> Iterator[ForwardPass]:
        """The forward passes of `function` in the given readings (a mapped lambda read in its maker's context)."""
        direct = self.evaluator.direct(module, function.key)
        for site in function.calls:
            receiver = (ir.receiver(site.func) if site.method in FORWARD_METHODS else None) or site.func
            yield from self._passes(module, function, site, receiver, direct, frames)

    def _passes(self, module: ModuleSummary, function: FunctionSummary, site: CallSite, receiver: ir.IR,
                direct: Frame, frames: List[Frame]) -> Iterator[ForwardPass]:
        evaluator = self.evaluator
        method = site.method if site.method in FORWARD_METHODS and site.method != "__call__" else "call"
        inputs = _input(site)
        direct_model, direct_rows = evaluator.model(receiver, direct), evaluator.rows(inputs, direct)
        traced = self.traced(module, function)
        keras_step = self._keras_step(module, function)
        for frame in frames:
            if evaluator.skipped(site, frame):
                continue
            model = evaluator.model(receiver, frame)
            if model is None or method in model.overridden:
                continue
            rows = evaluator.rows(inputs, frame)
            # a caller's loop that repeats a training step (a GAN's critic steps) does not sample it
            outer = tuple(replace(level, monte_carlo=False) for level in frame.levels) if function.trains \
                else frame.levels
            levels = (*self.contexts.levels(module, function, site, frame), *outer)
            value = evaluator.value(inputs, frame)
            multi = isinstance(inputs, (ir.Seq, ir.DictLit)) or isinstance(value, (Seq, Record)) or (
                isinstance(inputs, ir.BinOp) and isinstance(inputs.left, ir.Seq))
            local = direct_model is not None and (direct_rows is not None or rows is None)
            yield ForwardPass(module, function, site, method, model, rows, _training(site, method), levels,
                              frame.origins, local, traced, keras_step, _feeds_one(inputs, evaluator, frame), multi)

    def _depends_on_parameters(self, node: ir.IR, module: ModuleSummary, function: FunctionSummary) -> bool:
        """Could the callers' arguments decide this value (a parameter, `self.x`, through local names)?"""
        key = id(node)
        if key not in self._params:
            self._params[key] = _mentions_parameter(node, module, function.key, 0)
        return self._params[key]

    def traced(self, module: ModuleSummary, function: FunctionSummary) -> bool:
        """Does this function run as traced graph code: decorated with tf.function, wrapped as `tf.function(f)`,
        or nested in such a function?"""
        key = (module.path, function.key)
        if key not in self._traced:
            self._traced[key] = False
            current: Optional[FunctionSummary] = function
            while current is not None and not self._traced[key]:
                self._traced[key] = self._decorated(module, current) or self._wrapped(module, current)
                current = module.functions.get(current.parent) if current.parent else None
        return self._traced[key]

    def _decorated(self, module: ModuleSummary, function: FunctionSummary) -> bool:
        frame = self.evaluator.direct(module, MODULE_SCOPE)
        for decorator in function.decorators:
            target = decorator.func if isinstance(decorator, ir.Call) else decorator
            value = self.evaluator.value(target, frame)
            if isinstance(value, Lib) and value.name.endswith(".function") and value.name.startswith("tensorflow"):
                return True
        return False

    def _wrapped(self, module: ModuleSummary, function: FunctionSummary) -> bool:
        """`tf.function(f)` somewhere in the module, for this def `f`."""
        return any(made.function is None and made.wrapped == ir.Func(function.key) for made in module.tf_functions)

    @staticmethod
    def _keras_step(module: ModuleSummary, function: FunctionSummary) -> bool:
        current: Optional[FunctionSummary] = function
        while current is not None:
            if current.keras_step:
                return True
            current = module.functions.get(current.parent) if current.parent else None
        return False


def _fix_helper_scopes(module: ModuleSummary) -> FrozenSet[str]:
    """The batching helper `--fix` inserted (fixes/batching.py) and the scopes inside it: it batches by design, so
    its own model calls are not findings."""
    inside = set()
    for function in module.functions.values():
        current: Optional[FunctionSummary] = function
        while current is not None:
            if current.name == FIX_HELPER_NAME and current.params[:len(FIX_HELPER_PARAMS)] == FIX_HELPER_PARAMS:
                inside.add(function.key)
                break
            current = module.functions.get(current.parent) if current.parent else None
    return frozenset(inside)


def _input(site: CallSite) -> Optional[ir.IR]:
    if site.args and not isinstance(site.args[0], ir.Starred):
        return site.args[0]
    keywords = {name: value for name, value in site.kwargs if name is not None}
    return keywords.get("x", keywords.get("inputs"))


def _training(site: CallSite, method: str) -> Optional[str]:
    """The training argument as written: `training=...`, or positionally right after the input
    (`model(x, True)`, which tf_keras and Keras 3 models both accept)."""
    value = dict((name, v) for name, v in site.kwargs if name is not None).get("training")
    if value is None and method == "call" and len(site.args) >= 2 and not isinstance(site.args[1], ir.Starred):
        value = site.args[1]
    if value is None:
        return None
    if isinstance(value, ir.Const) and value.value in (True, False) and type(value.value) is bool:
        return str(value.value)
    if isinstance(value, ir.Const) and value.value in (0, 1) and type(value.value) is int:
        return str(bool(value.value))
    return "dynamic"


def _feeds_one(inputs: Optional[ir.IR], evaluator: Evaluator, frame: Frame) -> bool:
    """`f([x, 1])`, `f([x, True])`, `f([x, learning_phase])` with the name holding 1 or True."""
    if not isinstance(inputs, ir.Seq) or len(inputs.items) < 2:
        return False
    return evaluator.value(inputs.items[-1], frame) in (Int(1), Float(1.0), Bool(True))


def _mentions_parameter(node: object, module: ModuleSummary, scope: str, depth: int) -> bool:
    if depth > 12 or node is None:
        return False
    if isinstance(node, ir.Param):  # this function's parameter, or an enclosing one's (a factory's closure)
        current: Optional[str] = scope
        while current is not None and current != node.scope:
            current = module.functions[current].parent if current in module.functions else None
        return current is not None
    if isinstance(node, ir.Bind):
        owner = module.functions.get(node.scope)
        if owner is None or node.index >= len(owner.bindings):
            return False
        return _mentions_parameter(owner.bindings[node.index], module, scope, depth + 1)
    if isinstance(node, tuple):
        return any(_mentions_parameter(child, module, scope, depth + 1) for child in node
                   if isinstance(child, tuple))
    return False


class ModuleFacts:
    """What rules read about one module: its summary, and the program-wide facts that concern it."""

    def __init__(self, program: ProgramFacts, path: str):
        self.program = program
        self.path = path
        self.module = program.modules[path]
        self._fix_helper = _fix_helper_scopes(self.module)

    @property
    def forward_passes(self) -> List[ForwardPass]:
        return [found for found in self.program.forward_passes(self.path) if found.function.key not in self._fix_helper]

    def _readings(self, function: FunctionSummary, direct: Frame) -> List[Frame]:
        """The calling contexts of a function or a script (a Streamlit script reruns); the direct reading of a
        lambda or class body."""
        if function.kind in ("function", "module"):
            return self.program.contexts.frames(self.module, function)
        return [direct]

    def distribution_samples(self) -> Iterator["DistributionSample"]:
        evaluator = self.program.evaluator
        for function in self.module.functions.values():
            for site in function.calls:
                made_by = ir.receiver(site.func)
                if site.method != "sample" or made_by is None:
                    continue
                frame = evaluator.direct(self.module, function.key)
                distribution = evaluator.value(made_by, frame)
                shape = site.args[0] if site.args else dict(site.kwargs).get("sample_shape")
                if not isinstance(distribution, Distribution) or shape is None:
                    continue  # one draw: no bulk tensor; the full pass itself is TFB101's
                made, _ = evaluator.deref(made_by, frame)
                yield DistributionSample(site, distribution, evaluator.integer(shape, frame), self._span_of(made))

    def vectorized_maps(self) -> Iterator["VectorizedMap"]:
        """`tf.vectorized_map(fn, elems)` whose fn runs a stochastic pass that ignores its element, read in every
        calling context of the function holding the map (a helper's `model` and `n_samples` are its callers')."""
        program = self.program
        evaluator = program.evaluator
        for function in self.module.functions.values():
            for site in function.calls:
                if ir.dotted(site.func) != "tensorflow.vectorized_map":
                    continue
                keywords = {name: value for name, value in site.kwargs if name is not None}
                elements = site.args[1] if len(site.args) > 1 else keywords.get("elems")
                direct = evaluator.direct(self.module, function.key)
                frames = self._readings(function, direct)
                for frame in frames:
                    mapped = evaluator.value(site.args[0] if site.args else keywords.get("fn"), frame)
                    if not isinstance(mapped, FunctionValue) or mapped.module != self.path:
                        continue
                    inner = self.module.functions[mapped.key]
                    element = set(inner.params) | {inner.vararg, inner.kwarg} - {None}
                    reading = Frame(self.module, inner.key, {}, closure=mapped.closure) if mapped.closure else \
                        evaluator.direct(self.module, inner.key)
                    passes = tuple(p for p in program.passes_in(self.module, inner, [reading])
                                   if p.stochastic and not p.site.names & element)
                    count = None
                    if isinstance(elements, ir.Call) and ir.dotted(elements.func) == "tensorflow.range" \
                            and len(elements.args) == 1:
                        count = evaluator.integer(elements.args[0], frame)
                    if passes:
                        yield VectorizedMap(site, count, passes)
                        break

    def traced_calls(self) -> Iterator["TracedCall"]:
        """tf.functions called in a loop of this module, made before that loop (one made inside it is TFB303's)."""
        program = self.program
        evaluator = program.evaluator
        for function in self.module.functions.values():
            if program.traced(self.module, function) or function.key in self._fix_helper:
                continue  # calls inside traced code are traced once with it
            for site in function.calls:
                if not site.loops:
                    continue
                frame = evaluator.direct(self.module, function.key)
                found = self._tf_function(site, frame)
                if found is None:
                    continue
                made, options, reads_shapes, name = found
                if made is not None and made.scope == function.key and set(made.loops) & {
                        use.loop for use in site.loops}:
                    continue
                # the loops around the call, in the reading where they repeat it most (a caller may pass the count)
                levels = max((program.contexts.levels(self.module, function, site, reading)
                              for reading in self._readings(function, frame)), key=_repetitions)
                yield TracedCall(self.module, function, site, name, made, options, reads_shapes, levels)

    def _tf_function(self, site: CallSite, frame: Frame):
        """(creation record, options, reads shapes, name) when `site` calls a tf.function, else None."""
        evaluator = self.program.evaluator
        callee = evaluator.value(site.func, frame)
        if isinstance(callee, BoundMethod):
            callee = callee.function
        if isinstance(callee, FunctionValue):
            found = evaluator.function(callee)
            if found is None:
                return None
            module, summary = found
            made = next((m for m in module.tf_functions if m.function == summary.key), None)
            if made is None:
                return None
            return made, dict(made.options), summary.reads_shapes, made.name
        if isinstance(callee, (TracedFunction, ModelInfo)) and (
                not isinstance(callee, ModelInfo) or callee.kind == "tf.function"):
            target, target_frame = evaluator.deref(site.func, frame)
            if isinstance(target, ir.Call):
                line = target.line
                made = next((m for m in target_frame.module.tf_functions
                             if m.function is None and m.span[0][0] == line), None)
                reads = False
                if isinstance(callee, TracedFunction) and callee.function is not None:
                    wrapped = evaluator.function(callee.function)
                    reads = wrapped is not None and wrapped[1].reads_shapes
                if made is not None:
                    return made, dict(made.options), reads, made.name
            return None, {}, False, site.receiver_code or site.code
        return None

    def items_of_different_lengths(self, call: "TracedCall", names: FrozenSet[str]) -> FrozenSet[str]:
        """Resolve `<items:NAME>` (a loop target passed as is) to NAME when the loop iterates over arrays of
        different known lengths (`for batch in [x[:10], x[:20]]`); other names stay."""
        evaluator = self.program.evaluator
        frame = evaluator.direct(self.module, call.function.key)
        resolved = set()
        for name in names:
            if not name.startswith("<items:"):
                resolved.add(name)
                continue
            target = name[len("<items:"):-1]
            for use in call.site.loops:
                loop = call.function.loops[use.loop]
                if target in loop.targets and loop.iterable is not None:
                    items = evaluator.value(loop.iterable, frame)
                    lengths = {item.count for item in getattr(items, "items", ()) if isinstance(item, Rows)
                               and item.count is not None}
                    if len(lengths) > 1:
                        resolved.add(target)
                    break
        return frozenset(resolved)

    def model_builds(self) -> Iterator["ModelBuild"]:
        """Each `name = <call>` whose call makes a new Keras model, in every calling context of its function."""
        program = self.program
        evaluator = program.evaluator
        for function in self.module.functions.values():
            for site in function.calls:
                for build in site.builds:
                    direct = evaluator.direct(self.module, function.key)
                    model = self._new_model(site, direct, build.position)
                    if model is None:
                        continue
                    for frame in self._readings(function, direct):
                        levels = (*program.contexts.levels(self.module, function, site, frame), *frame.levels)
                        clears = build.clears_session or any(
                            self._clears_session(evaluator.value(callee, frame)) for callee in build.calls)
                        yield ModelBuild(self.module, function, site, build, model, levels, frame.origins, clears)

    def _new_model(self, site: CallSite, frame: Frame, position: Optional[int]) -> Optional[ModelInfo]:
        """The model `site` makes anew (or the item `position` of its result, `model, history = train()`): a Keras
        constructor or loader, a Model subclass, or a function of the program that builds one inside (not one that
        returns a model made elsewhere, like a cached global)."""
        evaluator = self.program.evaluator
        node = self.program.contexts.call_node(site)
        made = evaluator.value(node, frame)
        if position is not None:
            made = made.items[position] if isinstance(made, Seq) and position < len(made.items) else None
        callee = evaluator.value(site.func, frame)
        if isinstance(made, Instance):
            # the object this call constructs, or one the function it calls constructs (not `return self`)
            if isinstance(callee, ClassValue) or made.frame is not None and (
                    made.frame[0] is node or self._inside(callee, made.frame[1].module.path, made.frame[0].line)):
                return self._model_made_by_constructor(made)
            return self._model_stored_on_result(callee)
        model = made if isinstance(made, ModelInfo) else None
        if model is None or model.kind != "keras":
            return None
        if isinstance(callee, Lib):
            tail = keras_tail(callee.name) or ""
            return model if tail.rsplit(".", 1)[-1] in {"Sequential", "Model"} or tail in LOADERS or \
                is_application_model(tail) else None
        if isinstance(callee, ClassValue):
            return model
        return model if self._inside(callee, *model.made_at) else None

    def _model_stored_on_result(self, callee: object) -> Optional[ModelInfo]:
        """A model the called function builds and stores on the object it returns (`obj.model = Sequential(...)`
        then `return obj`; `self.model = ...` then `return self`)."""
        evaluator = self.program.evaluator
        function = callee.function if isinstance(callee, BoundMethod) else callee
        found = evaluator.function(function) if isinstance(function, FunctionValue) else None
        if found is None:
            return None
        module, summary = found
        stored = [value for _, holder, value in summary.attribute_stores if holder in summary.returns]
        owner = evaluator.class_summary(ClassValue(module.path, summary.class_key)) if summary.class_key else None
        if owner is not None and summary.params and ir.Param(summary.key, summary.params[0]) in summary.returns:
            # `return self`: what the method itself stores on self
            stored += [value for stores in owner[1].attributes.values() for key, value in stores if key == summary.key]
        direct = evaluator.direct(module, summary.key)
        for value in stored:
            model = evaluator.model(value, direct)
            if model is not None and model.kind == "keras" and self._inside(function, *model.made_at):
                return model
        return None

    def _inside(self, callee: object, path: str, line: int, depth: int = 0) -> bool:
        """Is path:line inside the function of the program that `callee` calls, or a function that one calls in
        turn (`get_model()` returning `build_cnn()`, up to a few levels), run anew on every call (a cached function,
        `@st.cache_resource`, makes its model once; a model kept in a global is made elsewhere)?"""
        if isinstance(callee, Callables):
            return any(self._inside(option, path, line, depth) for option in callee.options)
        if isinstance(callee, BoundMethod):
            callee = callee.function
        evaluator = self.program.evaluator
        found = evaluator.function(callee) if isinstance(callee, FunctionValue) else None
        if found is None or cached(found[1]):
            return False
        module, summary = found
        (first, _), (last, _) = summary.span
        if path == module.path and first <= line <= last:
            return True
        if depth >= _FACTORY_DEPTH:
            return False
        direct = evaluator.direct(module, summary.key)
        return any(self._inside(evaluator.value(site.func, direct), path, line, depth + 1) for site in summary.calls)

    def tf_functions_from_factories(self) -> Iterator["FactoryTfFunction"]:
        """`forward = compiled_forward(model)` inside a loop, `forward(...)` called in the same iteration, where the
        program's `compiled_forward` makes a new tf.function on every call: each iteration traces a new graph."""
        program = self.program
        evaluator = program.evaluator
        for function in self.module.functions.values():
            if program.traced(self.module, function):
                continue
            for site in function.calls:
                if not site.loops or site.holder is None or not _called_in_same_loop(function, site):
                    continue
                direct = evaluator.direct(self.module, function.key)
                made = self._made_fresh_by(evaluator.value(site.func, direct))
                if made is None:
                    continue
                frames = self._readings(function, direct)
                for frame in frames[:1]:
                    levels = (*program.contexts.levels(self.module, function, site, frame), *frame.levels)
                    if any(level.repeats for level in levels):
                        yield FactoryTfFunction(site, made, levels)

    def _made_fresh_by(self, callee: object) -> Optional[Tuple[str, TfFunctionMade]]:
        """(module path, the tf.function it makes) when `callee` is a function of the program that makes and returns
        a new tf.function on every call (not one it caches or keeps)."""
        if isinstance(callee, BoundMethod):
            callee = callee.function
        if not isinstance(callee, FunctionValue):
            return None
        found = self.program.evaluator.function(callee)
        if found is None:
            return None
        module, function = found
        made = [m for m in module.tf_functions if m.scope == function.key and not m.conditional and not m.stored]
        if not made or not any(isinstance(self.program.evaluator.value(returned, self.program.evaluator.direct(
                module, function.key)), (TracedFunction, ModelInfo)) for returned in function.returns):
            return None
        return module.path, made[0]

    def _model_made_by_constructor(self, instance: Instance) -> Optional[ModelInfo]:
        """A wrapper object (`network = net.net(X, y, ...)`) whose __init__ builds a Keras model and keeps it on
        `self`: making the object builds the model."""
        evaluator = self.program.evaluator
        found = evaluator.class_summary(instance.cls)
        if found is None:
            return None
        module, summary = found
        (first, _), (last, _) = summary.span
        for name, stores in summary.attributes.items():
            if not any(method.rsplit(".", 1)[-1] == "__init__" for method, _ in stores):
                continue
            model = evaluator.attribute(instance, name)
            if isinstance(model, ModelInfo) and model.kind == "keras" and model.made_at[0] == module.path \
                    and first <= model.made_at[1] <= last:
                return model
        return None

    def _clears_session(self, callee: object) -> bool:
        if isinstance(callee, Lib):
            return callee.name.endswith(".clear_session")
        if isinstance(callee, BoundMethod):
            callee = callee.function
        if isinstance(callee, FunctionValue):
            found = self.program.evaluator.function(callee)
            return found is not None and found[1].clears_session
        return False

    def spelling(self, dotted: str) -> Optional[str]:
        """How this module's top-level imports spell `dotted`: `tf.keras.backend.clear_session` after `import
        tensorflow as tf`, `keras.backend.clear_session` after `from tensorflow import keras`."""
        best: Optional[Tuple[str, str]] = None
        for name, node in self.module.names.items():
            if isinstance(node, ir.Global) and not node.level and (
                    dotted == node.name or dotted.startswith(node.name + ".")):
                if best is None or len(node.name) > len(best[1]):
                    best = (name, node.name)
        return None if best is None else best[0] + dotted[len(best[1]):]

    def tfp_in_keras3(self) -> Iterator[Tuple[Tuple[Tuple[int, int], Tuple[int, int]], LayerInfo, str, str]]:
        """(where, the tfp layer, the Keras class's qualified name, "subclass" or "model") for each Keras 3
        container holding tfp layers: a subclass of Model/Sequential/Layer, or a Sequential/Model call."""
        evaluator = self.program.evaluator
        module = self.module
        flagged = []
        for summary in module.classes.values():
            base = evaluator.keras_base(ClassValue(self.path, summary.key))
            if base is None or base[0].rsplit(".", 1)[-1] not in _CONTAINER_BASES or not runs_keras3(
                    keras_package(base[1]) or "", module):
                continue
            frame = evaluator.direct(module, evaluator.owner(module, summary.scope))
            layers = [layer for layer in (evaluator.layer(call, frame) for call in summary.layer_calls)
                      if layer is not None and layer.tfp]
            if layers:
                flagged.append(summary.span)
                yield summary.name_span, layers[0], base[1], "subclass"
        for function in module.functions.values():
            frame = evaluator.direct(module, function.key)
            for site in function.calls:
                callee = evaluator.value(site.func, frame)
                if not isinstance(callee, Lib) or (keras_tail(callee.name) or "") not in SEQUENTIAL | FUNCTIONAL:
                    continue
                if not runs_keras3(keras_package(callee.name) or "", module) or any(
                        start <= site.span[0] <= end for start, end in flagged):
                    continue
                model = self._with_additions(function, site, frame)
                layers = [layer for layer in (model.layers if model else ()) if layer.tfp]
                if layers:
                    yield site.span, layers[0], callee.name, "model"

    def keras3_files_loaded(self) -> Iterator[CallSite]:
        """`load_model("m.keras")` through Keras 3: a file tf_keras may fail to read."""
        for function in self.module.functions.values():
            for site in function.calls:
                name = ir.dotted(site.func) or ""
                path = site.args[0] if site.args else None
                if (keras_tail(name) in LOADERS and runs_keras3(keras_package(name) or "", self.module)
                        and isinstance(path, ir.Const) and str(path.value).endswith(".keras")):
                    yield site

    def _with_additions(self, function: FunctionSummary, site: CallSite, frame: Frame) -> Optional[ModelInfo]:
        """The model a Sequential call makes, with the layers `model.add(...)` adds to the name it is bound to."""
        evaluator = self.program.evaluator
        for binding in function.bindings:
            if isinstance(binding, ir.WithAdditions) and isinstance(binding.value, ir.Call) \
                    and binding.value.func is site.func:
                return evaluator.model(binding, frame)
        return evaluator.model(self.program.contexts.call_node(site), frame)

    def _span_of(self, call: Optional[ir.IR]):
        """The span of the call site whose IR is `call` (the extractor gives one node one IR object)."""
        if not isinstance(call, ir.Call):
            return None
        for function in self.module.functions.values():
            for site in function.calls:
                if site.func is call.func:
                    return site.span
        return None


@dataclass(frozen=True)
class DistributionSample:
    """`dist.sample(T)` on the distribution a model call returned."""

    site: CallSite
    distribution: Distribution
    count: Optional[int]  # T, when the code shows it
    forward: Optional[Tuple[Tuple[int, int], Tuple[int, int]]]  # the span of the model call that made it


@dataclass(frozen=True)
class VectorizedMap:
    """`tf.vectorized_map(fn, elems)`, with the stochastic passes in `fn` that ignore the mapped element."""

    site: CallSite
    count: Optional[int]  # `tf.range(T)` elements
    passes: Tuple[ForwardPass, ...]


@dataclass(frozen=True)
class TracedCall:
    """A tf.function called in a loop, made before that loop."""

    module: ModuleSummary
    function: FunctionSummary
    site: CallSite
    name: str  # how the code refers to the tf.function
    made: Optional[TfFunctionMade]  # where it is created, when the program shows it
    options: Dict[str, object]  # tf.function's keywords: literal values, or "<expr>"
    reads_shapes: bool  # the traced body reads a static shape of a parameter
    levels: Tuple[Level, ...]

    @property
    def has_input_signature(self) -> bool:
        signature = self.options.get("input_signature", None)
        return "input_signature" in self.options and signature is not None

    @property
    def relaxes_shapes(self) -> bool:
        return any(self.options.get(keyword) is True for keyword in RELAX_SHAPE_KEYWORDS)

    @property
    def sets_shape_option(self) -> bool:
        return any(keyword in self.options for keyword in RELAX_SHAPE_KEYWORDS)


@dataclass(frozen=True)
class FactoryTfFunction:
    """A call in a loop to a function of the program that returns a new tf.function, called in the same iteration."""

    site: CallSite
    made: Tuple[str, TfFunctionMade]  # (module path, where the factory makes it)
    levels: Tuple[Level, ...]


def _repetitions(levels: Tuple[Level, ...]) -> float:
    total = total_count(levels)
    return float("inf") if total is None else total


def _called_in_same_loop(function: FunctionSummary, site: CallSite) -> bool:
    """Whether the name `site` assigns is called in the innermost loop around `site`."""
    loop = site.loops[0].loop
    return any(other.callee_name == site.holder and other.method is None and other.loops
               and other.loops[0].loop == loop and other.span[0] > site.span[0] for other in function.calls)


@dataclass(frozen=True)
class ModelBuild:
    """`name = <call>` that makes a new Keras model, and what repeats it."""

    module: ModuleSummary
    function: FunctionSummary
    site: CallSite
    build: Build
    model: ModelInfo
    levels: Tuple[Level, ...]
    origins: Tuple[str, ...]
    clears_session: bool  # the repeated block (or a helper it calls) calls clear_session()
