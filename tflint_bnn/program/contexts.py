"""Calling contexts: who calls a function, with which arguments, and how often their loops repeat the call.

A function's frames are one per call site in the program that reaches it (a direct call, a method on an
instance, a class instantiation for `__init__`, or a library loop that calls it, like optuna's
`study.optimize(objective, n_trials=100)`), each carrying the caller's own frames' repetition on top of the
loops around the call. Found callers are followed up to MAX_DEPTH levels; a function nobody in the program
calls has one frame with nothing bound. Repetition is a tuple of Levels, innermost first.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple

from tflint_bnn.analysis import ir
from tflint_bnn.analysis.vocabulary import (CACHING_DECORATORS, COUNTING_CALLS, GUI_FRAMEWORKS,
                                            REQUEST_HANDLER_DECORATORS, WEB_FRAMEWORKS)
from tflint_bnn.analysis.summary import CallSite, FunctionSummary, Loop, LoopUse, ModuleSummary
from tflint_bnn.program import library
from tflint_bnn.program.evaluate import Evaluator, Frame
from tflint_bnn.program.values import (BoundMethod, ClassValue, FunctionValue, Instance, Int, Lib, LibObject,
                                       ModelInfo, Range, Rows, Seq, Text, TracedFunction)

MAX_DEPTH = 4  # callers of callers of ...: further up, repetition is not followed
MAX_FRAMES_PER_FUNCTION = 16
_BAYES_OPT_DEFAULTS = (5, 25)  # bayes_opt's maximize(init_points=5, n_iter=25)


@dataclass(frozen=True)
class Level:
    """One loop around a call (in the same function or in a caller), and how it repeats the call."""

    count: Optional[int]  # iterations when the code shows them
    endless: bool  # a while loop, a serving loop: as many times as it runs
    monte_carlo: bool  # a counted loop that repeats the call unchanged and keeps each result
    where: str  # "train.py:77"
    description: str  # how a message names it

    @property
    def repeats(self) -> bool:
        return self.count is None or self.count > 1


def total_count(levels: Tuple[Level, ...]) -> Optional[int]:
    """How many times the innermost call runs in all; None when some level's count is not known."""
    total = 1
    for level in levels:
        if level.count is None:
            return None
        total *= level.count
    return total


class Contexts:
    def __init__(self, evaluator: Evaluator):
        self.evaluator = evaluator
        self._frames: Dict[Tuple[str, str], Tuple[List[Frame], int]] = {}  # frames, 0 or depth + 1 when partial
        self._in_progress: set = set()
        self._cut = False  # a depth limit or a call cycle shortened the frames being built
        self._calls: Optional[Dict[str, List[Tuple[ModuleSummary, FunctionSummary, CallSite]]]] = None
        self._drivers: List[Tuple[ModuleSummary, FunctionSummary, CallSite]] = []
        self._driven: Optional[Dict[FunctionValue, List[Tuple[ModuleSummary, FunctionSummary, CallSite, Level]]]] = None
        self._call_nodes: Dict[int, ir.Call] = {}
        self._by_name: Dict[str, _NamedCallers] = {}
        self._rerun: Dict[str, Frame] = {}  # module path -> a Streamlit script's reading: its body repeats
        self._imported: Optional[set] = None  # paths of the modules some module of the program imports
        # id(site) -> (the readings, None when final; the callees the site, read from a parameter, reaches in them)
        self._reached: Dict[int, Tuple[Optional[List[Frame]], set]] = {}
        # (id(fit site), hook) -> the callback object the hook runs on, its `model` the model being fitted
        self._hooked: Dict[Tuple[int, FunctionValue], Instance] = {}
        evaluator.readings = self.frames  # what a container attribute holds depends on who fills it, from where

    # -- the index of calls, by the callee's last name -------------------------------------------------------------
    def _index(self) -> Dict[str, List[Tuple[ModuleSummary, FunctionSummary, CallSite]]]:
        if self._calls is None:
            self._calls = {}
            for module in self.evaluator.modules.values():
                for function in module.functions.values():
                    for site in function.calls:
                        if site.callee_name:
                            self._calls.setdefault(site.callee_name, []).append((module, function, site))
                        if site.method in _DRIVING_METHODS or site.callee_name in _DRIVING_FUNCTIONS or any(
                                name == "command" for name, _ in site.kwargs):
                            self._drivers.append((module, function, site))
        return self._calls

    def call_node(self, site: CallSite) -> ir.Call:
        node = self._call_nodes.get(id(site))
        if node is None:
            node = self._call_nodes[id(site)] = ir.Call(site.func, site.args, site.kwargs, site.span[0][0])
        return node

    # -- frames ------------------------------------------------------------------------------------------------------
    def frames(self, module: ModuleSummary, function: FunctionSummary, depth: int = 0) -> List[Frame]:
        """The readings of `function`: one per calling context, or the direct one when nothing calls it."""
        key = (module.path, function.key)
        known = self._frames.get(key)
        # Frames built under a depth limit or a call cycle are partial: good for as deep a reading, rebuilt for one
        # nearer the top (each function at most MAX_DEPTH + 1 times).
        if known is not None and (not known[1] or known[1] <= depth + 1):
            self._cut = self._cut or bool(known[1])
            return known[0]
        direct = [self.evaluator.direct(module, function.key)]
        if function.kind == "module":
            return self._rerun_frames(module, function) or direct
        if function.kind not in ("function", "lambda") or cached(function):
            return direct  # a cached function's body runs once, however often it is called
        if depth > MAX_DEPTH or key in self._in_progress:
            self._cut = True
            return direct
        self._in_progress.add(key)
        cut_before, self._cut = self._cut, False
        try:
            found = self._caller_frames(module, function, depth)
        finally:
            self._in_progress.discard(key)
        frames = found[:MAX_FRAMES_PER_FUNCTION] or self._handler_frames(module, function) or direct
        # depth + 1: 0 stands for complete
        self._frames[key] = (frames, depth + 1 if self._cut else 0)
        self._cut = cut_before or self._cut
        return frames

    def _rerun_frames(self, module: ModuleSummary, function: FunctionSummary) -> List[Frame]:
        """A Streamlit script (it calls Streamlit's API): the framework runs its whole body again on every user
        interaction. Only the script itself: a module it imports runs once, as every import does."""
        if not module.streamlit_ui or module.path in self._imported_modules():
            return []
        frame = self._rerun.get(module.path)
        if frame is None:
            script = module.path.replace("\\", "/").rsplit("/", 1)[-1]
            level = Level(None, True, False, module.location(1),
                          f"once per rerun of the Streamlit script {script} (every user interaction)")
            frame = self._rerun[module.path] = Frame(module, function.key, {}, levels=(level,))
        return [frame]

    def _imported_modules(self) -> set:
        if self._imported is None:
            graph = self.evaluator.graph
            self._imported = {found[0] for module in self.evaluator.modules.values()
                              for name, level in module.imports
                              for found in [graph.resolve(name, level, module.path)] if found is not None}
        return self._imported

    def _handler_frames(self, module: ModuleSummary, function: FunctionSummary) -> List[Frame]:
        """A web handler that nothing in the program calls: the framework calls it once per request, as often as
        requests come. A decorated route (`@app.route("/predict")` under flask, fastapi, ...; Django REST
        framework's `@api_view`), a discord.py message handler, or a method of a class-based view (`def
        post(self, request)` in a Django `View` / `APIView`, a flask-restful `Resource`); Django's function views
        are found where urls.py routes them (`_library_loop`)."""
        if self._handler(module, function):
            where = module.location(function.span[0][0])
            level = Level(None, True, False, where, f"once per request to the handler at {where}")
            return [Frame(module, function.key, {}, levels=(level,))]
        return []

    def _handler(self, module: ModuleSummary, function: FunctionSummary) -> bool:
        if function.class_key is not None and function.name in _VIEW_METHODS:
            bases = self.evaluator.library_bases(ClassValue(module.path, function.class_key))
            return any(base.split(".", 1)[0] in _CLASS_BASED_VIEWS for base in bases)
        if not any(name.split(".")[0] in WEB_FRAMEWORKS for name, level in module.imports if not level):
            return False
        for decorator in function.decorators:
            func = decorator.func if isinstance(decorator, ir.Call) else decorator
            if isinstance(func, ir.Attr) and (func.name in REQUEST_HANDLER_DECORATORS and func is not decorator
                                              or func.name == "event" and function.name.startswith("on_message")):
                return True
            if _decorator_name(decorator) == "api_view" and func is not decorator:
                return True
        return False

    def _caller_frames(self, module: ModuleSummary, function: FunctionSummary, depth: int) -> List[Frame]:
        target = FunctionValue(module.path, function.key)
        constructor = function.name == "__init__" and function.class_key is not None
        name = module.classes[function.class_key].name if constructor else function.name
        wanted = ClassValue(target.module, target.key.rsplit(".", 1)[0]) if constructor else target
        frames: List[Frame] = []
        for caller_module, caller, site, resolved in self._candidate_callers(name, wanted):
            if resolved:
                outers = self.frames(caller_module, caller, depth + 1)
            elif self._reaches_elsewhere(caller_module, caller, site, wanted, depth + 1):
                continue
            else:
                # `agent.act(s)` with `agent` a parameter: only the caller's own callers say what it is.
                outers = self._outer_frames_calling(caller_module, caller, site, wanted, depth + 1)
            for outer in outers:
                if self.evaluator.skipped(site, outer):
                    continue  # the call sits in an `if flag:` block this reading of the caller skips
                frames.append(self._frame(module, function, caller_module, caller, site, outer, target, constructor))
                if len(frames) >= MAX_FRAMES_PER_FUNCTION:
                    return frames
        if function.name == "run":
            for caller_module, caller, site in self._drivers:
                if site.method == "start":
                    frames.extend(self._thread_frames(module, function, caller_module, caller, site, depth))
        for caller_module, caller, site, level in self._driven_by().get(target, ()):
            for outer in self.frames(caller_module, caller, depth + 1):
                if self.evaluator.skipped(site, outer):
                    continue
                # The level names the library call: it is not repeated as a caller.
                frames.append(Frame(module, function.key, {}, self._hooked.get((id(site), target)), outer, 0,
                                    (level, *self.levels(caller_module, caller, site, outer), *outer.levels),
                                    outer.origins, site.span[0][0]))
        return frames

    def _candidate_callers(self, name: str, wanted: object
                           ) -> Iterator[Tuple[ModuleSummary, FunctionSummary, CallSite, bool]]:
        """The call sites named `name` that may call `wanted` (a function, or a class for its constructor), in
        program order, and whether each does in its caller's direct reading: those that do, and those whose callee
        is read from a parameter (only the caller's own callers say what it is). Each site's callee is read once
        for every function that bears its name, not once per such function (`build` methods number thousands)."""
        named = self._named_callers(name)
        previous = None
        for position in heapq.merge(named.by_callee.get(wanted, ()), named.bound_by_callers):
            if position != previous:  # a site in both lists
                caller_module, caller, site, callee = named.sites[position]
                yield caller_module, caller, site, callee == wanted
            previous = position

    def _reaches_elsewhere(self, caller_module: ModuleSummary, caller: FunctionSummary, site: CallSite,
                           wanted: object, depth: int) -> bool:
        """Does the site, read from a parameter, reach only other callees in the readings `frames(caller, depth)`
        would give? Answered from what `_outer_frames_calling` kept, without building a generator or asking for
        the readings: this question is asked millions of times (every `build` method of a big program asks it of
        every `self.layer.build(...)`)."""
        known = self._reached.get(id(site))
        if known is None or wanted in known[1]:
            return False
        if known[0] is None:
            return True
        entry = self._frames.get((caller_module.path, caller.key))
        if entry is None or entry[0] is not known[0] or not entry[1] or entry[1] > depth + 1:
            return False
        self._cut = True  # what `frames` says when it hands out partial readings
        return True

    def _outer_frames_calling(self, caller_module: ModuleSummary, caller: FunctionSummary, site: CallSite,
                              wanted: object, depth: int) -> Iterator[Frame]:
        """The readings of `caller` in which `site` calls `wanted`. The callees the site reaches in them are kept
        with the readings, for `_reaches_elsewhere` to answer the next function of the same name."""
        outers = self.frames(caller_module, caller, depth)
        reached = set()
        for outer in outers:
            callee = _callee(self.evaluator.value(site.func, outer))
            reached.add(callee)
            if callee == wanted:
                yield outer
        entry = self._frames.get((caller_module.path, caller.key))
        final = caller.kind not in ("function", "lambda") or entry is not None and entry[0] is outers and not entry[1]
        self._reached[id(site)] = (None if final else outers, reached)

    def _named_callers(self, name: str) -> "_NamedCallers":
        named = self._by_name.get(name)
        if named is None:
            named = self._by_name[name] = _NamedCallers()
            for position, (caller_module, caller, site) in enumerate(self._index().get(name, ())):
                callee = _callee(self.evaluator.value(site.func, self.evaluator.direct(caller_module, caller.key)))
                named.sites.append((caller_module, caller, site, callee))
                if callee is not None:
                    named.by_callee.setdefault(callee, []).append(position)
                if self._bound_by_callers(site):
                    named.bound_by_callers.append(position)
        return named

    def _thread_frames(self, module: ModuleSummary, function: FunctionSummary, caller_module: ModuleSummary,
                       caller: FunctionSummary, site: CallSite, depth: int) -> List[Frame]:
        """`worker.start()` on a threading.Thread (or multiprocessing.Process) subclass of the program: the library
        runs the worker's `run()` once, in its own thread, with `self` the started object."""
        if function.name != "run" or function.class_key is None:
            return []
        evaluator = self.evaluator
        owner = ClassValue(module.path, function.class_key)
        where = caller_module.location(site.span[0][0])
        level = Level(1, False, False, where, f"the thread started at {where}")
        frames = []
        for outer in self.frames(caller_module, caller, depth + 1):
            started = evaluator.value(ir.receiver(site.func), outer)
            if not (isinstance(started, Instance) and evaluator.is_subclass(started.cls, owner)
                    and _STARTED_CLASSES.intersection(evaluator.library_bases(started.cls))):
                continue
            frames.append(Frame(module, function.key, {}, started, outer, 0,
                                (level, *self.levels(caller_module, caller, site, outer), *outer.levels),
                                (*outer.origins, where), site.span[0][0]))
        return frames

    @staticmethod
    def _bound_by_callers(site: CallSite) -> bool:
        """Whether the callee is a method read from a parameter (`agent.act`, `self.helper.run`,
        `self.players[1].step`): what the parameter holds, only the caller's own callers say."""
        root = site.func
        while isinstance(root, (ir.Attr, ir.Item)):
            root = root.obj
        return isinstance(root, ir.Param) and root is not site.func

    def _frame(self, module: ModuleSummary, function: FunctionSummary, caller_module: ModuleSummary,
               caller: FunctionSummary, site: CallSite, outer: Frame, target: FunctionValue,
               constructor: bool) -> Frame:
        node = self.call_node(site)
        self_value, closure = None, None
        if constructor:
            cls = ClassValue(module.path, function.class_key)
            self_value = self.evaluator.instantiate(cls, node, outer)
        else:
            callee = self.evaluator.value(site.func, outer)
            if isinstance(callee, BoundMethod):
                self_value = callee.instance
            if isinstance(callee, TracedFunction):
                callee = callee.function
            closure = callee.closure if isinstance(callee, FunctionValue) else None
        frame = self.evaluator.call_frame(module, function, node, outer, self_value, closure)
        return frame.in_context((*self.levels(caller_module, caller, site, outer), *outer.levels),
                                (*outer.origins, caller_module.location(site.span[0][0])))

    def _driven_by(self) -> Dict[FunctionValue, List[Tuple[ModuleSummary, FunctionSummary, CallSite, Level]]]:
        """Each function of the program that a library loop calls, with the loops: read once per program, not once
        per function asked about (the drivers were the hottest part of a cold run)."""
        if self._driven is None:
            self._index()
            self._driven = {}
            for module, caller, site in self._drivers:
                if site.method in _FITTING_METHODS:
                    for hook, level in self._callback_hooks(module, caller, site):
                        self._driven.setdefault(hook, []).append((module, caller, site, level))
                    continue
                found = self._library_loop(module, caller, site) if site.method != "start" else None
                if found is not None:
                    self._driven.setdefault(found[0], []).append((module, caller, site, found[1]))
        return self._driven

    def _callback_hooks(self, module: ModuleSummary, caller: FunctionSummary,
                        site: CallSite) -> Iterator[Tuple[FunctionValue, Level]]:
        """`model.fit(x, y, epochs=10, batch_size=64, callbacks=[Logger(...)])`: Keras calls each callback's
        `on_epoch_end` once per epoch and its `on_train_batch_end` once per batch, with `self.model` the model being
        fitted. The hooks are read with that callback as `self`."""
        evaluator = self.evaluator
        frame = evaluator.direct(module, caller.key)
        model = evaluator.value(ir.receiver(site.func), frame)
        callbacks = evaluator.value(dict(site.kwargs).get("callbacks"), frame)
        if not isinstance(model, ModelInfo) or not isinstance(callbacks, Seq):
            return
        node = self.call_node(site)
        epochs = _keyword_int(evaluator, node, "epochs", frame, position=None)
        epochs = 1 if epochs is None and "epochs" not in dict(site.kwargs) else epochs
        batch_size = _keyword_int(evaluator, node, "batch_size", frame, position=None)
        batch_size = 32 if batch_size is None and "batch_size" not in dict(site.kwargs) else batch_size
        rows = evaluator.rows(site.args[0] if site.args else dict(site.kwargs).get("x"), frame)
        batches = -(-rows.count // batch_size) if rows is not None and rows.count and batch_size else None
        where = module.location(site.span[0][0])
        for callback in callbacks.items:
            if not isinstance(callback, Instance):
                continue
            hooked = evaluator.fitted_callback(callback, model)
            for hook, per_batch in _CALLBACK_HOOKS.items():
                method = evaluator.attribute(hooked, hook)
                if not isinstance(method, BoundMethod):
                    continue
                if per_batch:
                    count = epochs * batches if epochs is not None and batches is not None else None
                    level = Level(count, False, False, where, f"once per training batch of `{_short(site.code)}` "
                                                              f"at {where}")
                else:
                    level = Level(epochs, False, False, where, f"once per epoch of `{_short(site.code)}` at {where}")
                self._hooked[(id(site), method.function)] = hooked
                yield method.function, level

    def _library_loop(self, module: ModuleSummary, caller: FunctionSummary,
                      site: CallSite) -> Optional[Tuple[FunctionValue, Level]]:
        """The function a library loop calls, and how often: optuna's `study.optimize(f, n_trials=N)`, bayes_opt's
        `BayesianOptimization(f=f).maximize(init_points=a, n_iter=b)`."""
        evaluator = self.evaluator
        frame = evaluator.direct(module, caller.key)
        node = self.call_node(site)
        where = module.location(site.span[0][0])
        if site.callee_name in _REQUEST_INTERFACES:
            interface = evaluator.value(site.func, frame)
            function = _function_of(evaluator.value(site.args[0], frame) if site.args else evaluator.value(
                dict(site.kwargs).get("fn"), frame))
            if not (isinstance(interface, Lib) and interface.name.startswith("gradio.") and function is not None):
                return None
            return function, Level(None, True, False, where, f"once per request to the interface at {where}")
        if site.callee_name in _URL_ROUTES:
            return self._registered(site, frame, where, "django", "view", "once per request to the view routed")
        if site.callee_name in _CHAT_HANDLERS:
            return self._registered(site, frame, where, "telegram", "callback",
                                    "once per message to the handler registered")
        callback = _gui_callback(module, site) if site.callee_name != "Timer" else _timer_callback(site)
        if callback is not None:
            function = _function_of(evaluator.value(callback, frame))
            if function is None:
                return None
            if site.method == "after" or site.callee_name == "Timer":
                # a timer runs its function once, later; one that the function itself sets again runs forever
                if function != FunctionValue(module.path, caller.key):
                    return function, Level(1, False, False, where, f"the timer set at {where}")
                return function, Level(None, True, False, where, f"once per tick of the timer it sets again at {where}")
            return function, Level(None, True, False, where, f"once per user event bound at {where}")
        if site.method == "apply":
            return self._applied_per_row(site, frame, where)
        if site.callee_name in ("map", "fmin"):
            return self._mapped(site, frame, node, where)
        if site.method == "optimize":
            function = _function_of(evaluator.value(site.args[0], frame) if site.args else evaluator.value(
                dict(site.kwargs).get("func"), frame))
            if function is None or not _is_study(evaluator.value(ir.receiver(site.func), frame)):
                return None
            count = _keyword_int(evaluator, node, "n_trials", frame, position=1)
            return function, Level(count, count is None, False, where, f"trials of `{_short(site.code)}` at {where}")
        receiver = evaluator.value(ir.receiver(site.func), frame)
        if not (isinstance(receiver, LibObject) and receiver.kind == "bayes_opt" and receiver.data):
            return None
        function = _function_of(evaluator.value(receiver.data[0], frame))
        if function is None:
            return None
        initial = _keyword_int(evaluator, node, "init_points", frame, position=None)
        steps = _keyword_int(evaluator, node, "n_iter", frame, position=None)
        initial = _BAYES_OPT_DEFAULTS[0] if initial is None and "init_points" not in dict(site.kwargs) else initial
        steps = _BAYES_OPT_DEFAULTS[1] if steps is None and "n_iter" not in dict(site.kwargs) else steps
        count = initial + steps if initial is not None and steps is not None else None
        return function, Level(count, count is None, False, where, f"steps of `{_short(site.code)}` at {where}")

    def _registered(self, site: CallSite, frame: Frame, where: str, root: str, keyword: str,
                    description: str) -> Optional[Tuple[FunctionValue, Level]]:
        """A library call that registers a function of the program to run once per event, as its second argument:
        Django's `path("predict/", views.predict)` (also `re_path`, `url`), python-telegram-bot's
        `MessageHandler(filters, callback)` / `CommandHandler("start", callback)`."""
        evaluator = self.evaluator
        registrar = evaluator.value(site.func, frame)
        callback = site.args[1] if len(site.args) > 1 else dict(site.kwargs).get(keyword)
        if not (isinstance(registrar, Lib) and registrar.name.split(".", 1)[0] == root and callback is not None):
            return None
        function = _function_of(evaluator.value(callback, frame))
        return (function, Level(None, True, False, where, f"{description} at {where}")) if function is not None else None

    def _applied_per_row(self, site: CallSite, frame: Frame, where: str) -> Optional[Tuple[FunctionValue, Level]]:
        """`frame.apply(f, axis=1)`: pandas calls `f` once per row of the DataFrame."""
        evaluator = self.evaluator
        rows = evaluator.value(ir.receiver(site.func), frame)
        axis = evaluator.value(dict(site.kwargs).get("axis"), frame)
        if not (isinstance(rows, Rows) and rows.frame and axis in (Int(1), Text("columns"))):
            return None
        function = _function_of(evaluator.value(site.args[0], frame)) if site.args else None
        if function is None:
            return None
        return function, Level(rows.count, False, False, where, f"once per row of `{_short(site.code)}` at {where}")

    def _mapped(self, site: CallSite, frame: Frame, node: ir.Call, where: str) -> Optional[Tuple[FunctionValue, Level]]:
        """`map(f, items)`: once per item; hyperopt's `fmin(f, space, max_evals=N)`: N evaluations."""
        evaluator = self.evaluator
        callee = evaluator.value(site.func, frame)
        if not (isinstance(callee, Lib) and callee.name in ("builtins.map", "hyperopt.fmin")):
            return None
        function = _function_of(evaluator.value(site.args[0], frame)) if site.args else None
        if function is None:
            return None
        if callee.name == "hyperopt.fmin":
            count = _keyword_int(evaluator, node, "max_evals", frame, position=None)
            return function, Level(count, False, False, where, f"evaluations of `{_short(site.code)}` at {where}")
        items = evaluator.value(site.args[1], frame) if len(site.args) > 1 else None
        return function, Level(library.length(items), False, False, where,
                               f"once per item of `{_short(site.code)}` at {where}")

    # -- repetition --------------------------------------------------------------------------------------------------
    def levels(self, module: ModuleSummary, function: FunctionSummary, site: CallSite,
               frame: Frame) -> Tuple[Level, ...]:
        """The loops of `function` around `site`, innermost first."""
        return tuple(self._level(module, function, use, frame) for use in site.loops)

    def _level(self, module: ModuleSummary, function: FunctionSummary, use: LoopUse, frame: Frame) -> Level:
        loop = function.loops[use.loop]
        where = module.location(loop.span[0][0])
        if loop.once:
            return Level(1, False, False, where, f"the loop at {where}, which stops after its first iteration")
        limit = self._limit(loop, frame)
        if loop.kind == "while":
            if limit is not None:
                return Level(limit, False, False, where, f"the `while` loop at {where}")
            return Level(None, True, False, where, f"the `while` loop at {where}")
        iterable = self.evaluator.value(loop.iterable, frame) if loop.iterable is not None else None
        counted = isinstance(iterable, Range) or isinstance(loop.iterable, ir.Call) and (
            ir.dotted(loop.iterable.func) or "").rsplit(".", 1)[-1] in COUNTING_CALLS
        count = library.length(iterable)
        if count is None:
            count = self._slice_bound(loop.iterable, frame)
        if limit is not None:
            count = limit if count is None else min(count, limit)
        if use.every is not None:  # `if step % 100 == 0:` inside the loop
            every = self.evaluator.integer(use.every, frame)
            if every is None or every < 1:
                return Level(None, False, False, where, f"some iterations of the loop at {where}")
            return Level(None if count is None else -(-count // every), False, False, where,
                         f"every {every:,}th iteration of the loop at {where}")
        monte_carlo = counted and not use.varies and use.kept and not loop.trains
        return Level(count, False, monte_carlo, where, f"the loop at {where}")

    def _limit(self, loop: Loop, frame: Frame) -> Optional[int]:
        """At most how many iterations a counter lets the loop run (`if fold > n_folds: break`), when known."""
        if loop.limit is None:
            return None
        limit, start, adjustment = loop.limit
        last, first = self.evaluator.integer(limit, frame), self.evaluator.integer(start, frame)
        return None if last is None or first is None else max(0, last - first + adjustment)

    def _slice_bound(self, iterable: Optional[ir.IR], frame: Frame) -> Optional[int]:
        """`for i in val_idx[:5]`: at most 5 items, whatever `val_idx` holds."""
        if not (isinstance(iterable, ir.Item) and isinstance(iterable.index, ir.Slice)):
            return None
        piece = iterable.index
        if piece.step is not None or piece.upper is None:
            return None
        lower = 0 if piece.lower is None else self.evaluator.integer(piece.lower, frame)
        upper = self.evaluator.integer(piece.upper, frame)
        if lower is None or upper is None or lower < 0 or upper < 0:
            return None
        return max(0, upper - lower)


# Keras fitting calls a callback's hooks: per batch (True) or per epoch (False).
_FITTING_METHODS = frozenset({"fit", "fit_generator"})
_CALLBACK_HOOKS = {"on_train_batch_begin": True, "on_train_batch_end": True, "on_batch_begin": True,
                   "on_batch_end": True, "on_epoch_begin": False, "on_epoch_end": False}
# Library calls that call a function of the program repeatedly: optuna trials, bayes_opt steps, DataFrame rows,
# a GUI's event callbacks.
_GUI_BINDINGS = {"connect": 0, "bind": 1, "after": 1}  # the position of the callback
_DRIVING_METHODS = frozenset({"optimize", "maximize", "apply", "start", *_GUI_BINDINGS, *_FITTING_METHODS})
# `obj.start()` runs `obj.run()` in a new thread or process.
_STARTED_CLASSES = frozenset({"threading.Thread", "multiprocessing.Process"})
# gradio's `gr.Interface(fn=f)`: f runs once per request.
_REQUEST_INTERFACES = frozenset({"Interface", "ChatInterface"})
# python-telegram-bot's handlers: the callback runs once per message or command.
_CHAT_HANDLERS = frozenset({"MessageHandler", "CommandHandler", "CallbackQueryHandler", "InlineQueryHandler"})
# Django's URL routes: `path("predict/", views.predict)` calls the view once per request.
_URL_ROUTES = frozenset({"path", "re_path", "url"})
# Library functions that call a function of the program repeatedly: builtins.map, hyperopt.fmin, gradio, Django.
_DRIVING_FUNCTIONS = _REQUEST_INTERFACES | _URL_ROUTES | _CHAT_HANDLERS | {"map", "fmin", "Timer"}
# A class-based view's methods named after HTTP verbs run once per request: Django (and its REST framework),
# flask-restful / flask-restx resources, flask's MethodView, tornado's RequestHandler.
_CLASS_BASED_VIEWS = frozenset({"django", "rest_framework", "flask_restful", "flask_restx", "flask", "tornado"})
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete"})


@dataclass
class _NamedCallers:
    """The call sites of one callee name, each with its callee in its caller's direct reading (a function of the
    program, a class for a constructor, or None), indexed by that callee."""

    sites: List[Tuple[ModuleSummary, FunctionSummary, CallSite, object]] = field(default_factory=list)
    by_callee: Dict[object, List[int]] = field(default_factory=dict)
    bound_by_callers: List[int] = field(default_factory=list)  # sites whose callee is read from a parameter


def cached(function: FunctionSummary) -> bool:
    """Decorated to run once per distinct arguments and keep the result (`@st.cache_resource`, `@lru_cache`)."""
    return any(name in CACHING_DECORATORS for name in map(_decorator_name, function.decorators))


def _decorator_name(decorator: ir.IR) -> Optional[str]:
    """`st.cache_resource`, `functools.lru_cache(maxsize=None)`, `cache` -> the last name."""
    node = decorator.func if isinstance(decorator, ir.Call) else decorator
    if isinstance(node, ir.Attr):
        return node.name
    return node.name.rsplit(".", 1)[-1] if isinstance(node, ir.Global) else None


def _callee(value: object) -> object:
    """What a call of `value` runs, as call sites are indexed: a class (its constructor), a function, or None."""
    return value if isinstance(value, ClassValue) else _function_of(value)


def _function_of(callee: object) -> Optional[FunctionValue]:
    """The program's function that calling `callee` runs: through functools.partial, a bound method, a
    tf.function."""
    if isinstance(callee, LibObject) and callee.kind == "partial" and callee.data:
        callee = callee.data[0]
    if isinstance(callee, (BoundMethod, TracedFunction)):
        callee = callee.function
    return callee if isinstance(callee, FunctionValue) else None


def _timer_callback(site: CallSite) -> Optional[ir.IR]:
    """`threading.Timer(interval, function)`: the function it runs."""
    return site.args[1] if len(site.args) > 1 else dict(site.kwargs).get("function")


def _gui_callback(module: ModuleSummary, site: CallSite) -> Optional[ir.IR]:
    """The callback a GUI toolkit calls per user event: `Button(command=f)`, `button.clicked.connect(f)`,
    `widget.bind("<Return>", f)`, `root.after(ms, f)` (a timer that reschedules itself), in a module that imports
    tkinter, Qt, wx or kivy."""
    if not any(name.split(".")[0] in GUI_FRAMEWORKS for name, level in module.imports if not level):
        return None
    command = dict(site.kwargs).get("command")
    if command is not None:
        return command
    position = _GUI_BINDINGS.get(site.method or "")
    return site.args[position] if position is not None and len(site.args) > position else None


def _is_study(value: object) -> bool:
    return isinstance(value, LibObject) and value.kind == "optuna.study"


def _keyword_int(evaluator: Evaluator, node: ir.Call, name: str, frame: Frame,
                 position: Optional[int]) -> Optional[int]:
    value = dict((k, v) for k, v in node.kwargs if k is not None).get(name)
    if value is None and position is not None and position < len(node.args):
        value = node.args[position]
    found = evaluator.value(value, frame) if value is not None else None
    return found.value if isinstance(found, Int) else None


def _short(code: str, limit: int = 40) -> str:
    flat = " ".join(code.split())
    return flat if len(flat) <= limit else flat[:limit - 3] + "..."
