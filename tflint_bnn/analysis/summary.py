"""What one module's extraction keeps: its functions, classes, loops and calls, with expressions as IR.

A ModuleSummary is picklable and depends on the module's text alone, so it is cached by content and shipped
between processes; everything cross-module happens later, in project/, over these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, FrozenSet, List, Optional, Tuple

from tflint_bnn.analysis.ir import IR

Position = Tuple[int, int]  # (row 1-based, column 0-based in characters)
Span = Tuple[Position, Position]
MODULE_SCOPE = "<module>"


@dataclass(frozen=True)
class Loop:
    kind: str  # "for", "while" or "comprehension"
    span: Span  # the header: `for x in it` up to the colon, or the whole comprehension
    iterable: Optional[IR]  # None for `while`
    targets: FrozenSet[str]
    varying: FrozenSet[str]  # names that may hold another value in each iteration: targets and names bound inside
    trains: bool  # the body fits or updates a model: results differ per iteration by design
    endless: bool  # `while True:` / `while 1:`
    once: bool  # the body ends in an unconditional `break`, `return` or `raise`: one iteration at most
    parent: Optional[int]  # the enclosing loop of the same function, by index
    # A counter that stops the loop: `if i >= limit: break`, `while step < limit: ... step += 1`. At most
    # limit - start + adjustment iterations, (limit, start, adjustment).
    limit: Optional[Tuple[IR, IR, int]] = None


@dataclass(frozen=True)
class LoopUse:
    """How one loop around a call repeats it."""

    loop: int  # index into FunctionSummary.loops
    varies: bool  # the call's arguments or callee use a name that changes per iteration
    kept: bool  # each iteration's result is kept (collected, appended, added up, stored by index)
    every: Optional[IR] = None  # under `if i % n == 0`: the call runs on every n-th iteration only


@dataclass(frozen=True)
class TapeUse:
    """A GradientTape block recording a call."""

    name: Optional[str]
    watches_everything: bool  # False with watch_accessed_variables=False
    reaches_gradient: Optional[bool]  # the call's result can flow into a gradient of this tape; None: unknown
    statement: Optional[Span]  # the one-line assignment holding the call, directly in the tape's block


@dataclass(frozen=True)
class Retention:
    """Every output of a Monte Carlo loop kept in a list that is only reduced to moments over the samples."""

    label: str  # "`preds`" or "the list"


@dataclass(frozen=True)
class Build:
    """`name = <call>` (or `name, other = <call>`): what TFB401 needs to judge a model built again and again."""

    target: str
    guarded_once: bool  # under `if name is None:` or similar: built once, then reused
    kept: bool  # appended to a list, stored by index: an ensemble, kept on purpose
    clears_session: bool  # the repeated block calls clear_session()
    first_statement: Optional[Span]  # the first statement of the repeated block, where a fix inserts
    trial_block: bool  # the repeated block is the function body (a caller or a library repeats the function)
    calls: Tuple[IR, ...] = ()  # the callees of the repeated block: a helper may call clear_session()
    position: Optional[int] = None  # `model, history = train(...)`: the item of the result that `target` holds
    written: str = ""  # the assignment's targets as written, when they are a tuple


@dataclass(frozen=True)
class CallSite:
    index: int
    scope: str  # the function it is written in
    func: IR
    args: Tuple[IR, ...]
    kwargs: Tuple[Tuple[Optional[str], IR], ...]
    span: Span
    code: str  # the call as written
    method: Optional[str]  # `x.predict(...)` -> "predict"
    callee_name: Optional[str]  # the last name of the callee: `agent.act(s)` -> "act", `get_model()` -> "get_model"
    loops: Tuple[LoopUse, ...]  # innermost first, loops of the same function only
    receiver_code: Optional[str] = None  # `model` in `model.predict(x)`, the callee in `model(x)`
    input_code: Optional[str] = None  # the first positional argument (or x= / inputs=) as written
    input_span: Optional[Span] = None
    argument_codes: Tuple[str, ...] = ()  # every argument as written, in order (`training=True` included)
    numpy_chain: Optional[Span] = None  # `<call>.numpy()` written around the call
    sliced: Optional[Tuple[Span, str, FrozenSet[str]]] = None  # `<call>[a:b]`: span, slice text, names in bounds
    holder: Optional[str] = None  # `holder = <call>`
    statement: Optional[Span] = None  # the simple statement holding the call
    tape: Optional[TapeUse] = None
    retention: Optional[Retention] = None  # for a model that returns arrays
    retention_of_distribution: Optional[Retention] = None  # for a distribution head: `dist.mean()` is one sample
    builds: Tuple[Build, ...] = ()  # one per name the call's result (or one of its items) is assigned to
    names: FrozenSet[str] = frozenset()  # every name the call reads
    numbers_vary: Tuple[Optional[bool], ...] = ()  # per argument: a Python number that changes per iteration
    # per argument: the loops around the call (positions in `loops`) whose names that number reads
    numbers_vary_with: Tuple[Tuple[int, ...], ...] = ()
    shapes_vary: Tuple[FrozenSet[str], ...] = ()  # per argument: loop names its shape changes with
    argument_spans: Tuple[Span, ...] = ()
    flags: Tuple[Tuple[IR, bool], ...] = ()  # `if flag:` blocks around the call in its function: (flag, runs when)


@dataclass(frozen=True)
class TfFunctionMade:
    """A tf.function created here: `@tf.function` on a def, or a `tf.function(...)` call."""

    scope: str  # where it is created
    span: Span  # the decorator or the call
    name: str  # the def's name, the name it is assigned to, or the call as written
    function: Optional[str]  # the decorated def's scope key
    options: Tuple[Tuple[str, object], ...]  # keyword -> literal value (or "<expr>")
    options_span: Optional[Span]  # the `tf.function(...)` call holding the keywords; None for bare `@tf.function`
    last_argument_end: Optional[Position]
    bare_decorator: Optional[Span]  # `@tf.function` with no call: the decorator expression
    wrapped: Optional[IR]
    loops: Tuple[int, ...]  # loops around the creation, innermost first
    conditional: bool  # created under an `if` inside the loop: made once and cached
    called_same_iteration: bool
    stored: bool  # kept in a container on purpose
    # Moving the creating statement above the loop: (first row, last row, the loop's row, the statement's
    # indentation width, the loop's indentation), or None when it cannot move.
    hoist: Optional[Tuple[int, int, int, int, str]]
    hoist_blocked: Optional[str]  # why moving it could change results (the fix is then unsafe)


@dataclass
class FunctionSummary:
    key: str
    name: str
    kind: str  # "module", "function", "lambda", "comprehension", "class"
    span: Span
    parent: Optional[str]  # the enclosing scope's key
    class_key: Optional[str] = None  # methods: their class
    params: Tuple[str, ...] = ()  # positional-or-keyword (and positional-only), in order
    kwonly: Tuple[str, ...] = ()
    vararg: Optional[str] = None
    kwarg: Optional[str] = None
    defaults: Dict[str, IR] = field(default_factory=dict)
    decorators: Tuple[IR, ...] = ()
    returns: List[IR] = field(default_factory=list)
    yields: List[IR] = field(default_factory=list)  # `yield x` statements: a call gives a generator of these
    # `holder.attr.append(item)`: (attr, holder, item), what fills a container kept on an object
    attribute_appends: List[Tuple[str, IR, IR]] = field(default_factory=list)
    # `agent.model = build()` on a name that is not the method's self: (attr, holder, value), what a script stores on
    # an object it made
    attribute_stores: List[Tuple[str, IR, IR]] = field(default_factory=list)
    bindings: List[Optional[IR]] = field(default_factory=list)
    loops: List[Loop] = field(default_factory=list)
    calls: List[CallSite] = field(default_factory=list)
    keras_step: bool = False  # train_step / test_step / predict_step / call of a class
    mutated_globals: FrozenSet[str] = frozenset()  # module names changed in place or rebound (`global x`)
    clears_session: bool = False  # calls clear_session()
    reads_shapes: bool = False  # reads a parameter's static shape (`x.shape[0]`, `len(x)`)
    trains: bool = False  # calls fit, apply_gradients, tape.gradient, ...: a pass in it is a training step


@dataclass
class ClassSummary:
    key: str
    name: str
    span: Span
    bases: Tuple[IR, ...] = ()
    decorators: Tuple[IR, ...] = ()
    methods: Dict[str, str] = field(default_factory=dict)  # name -> function key
    attributes: Dict[str, List[Tuple[str, IR]]] = field(default_factory=dict)  # `self.name = ...`: (method, value)
    additions: Dict[str, List[IR]] = field(default_factory=dict)  # `self.name.add(layer)`
    layer_calls: List[IR] = field(default_factory=list)  # every call in the class body: layers it builds
    forces_training: bool = False  # a `training=True` keyword inside: its dropout runs in inference too
    draws_dropout: bool = False  # calls a dropout function (`K.dropout`, `tf.nn.dropout`) inside
    fields: Tuple[str, ...] = ()  # annotated class-level names, in order (dataclass / NamedTuple fields)
    scope: str = ""  # the class body's own scope (class-level assignments)
    outer: str = MODULE_SCOPE  # the scope the class statement is in (its bases and decorators are read there)
    names: Dict[str, IR] = field(default_factory=dict)  # class-level names other than methods
    name_span: Optional[Span] = None  # the class's name in its `class` statement


@dataclass(frozen=True)
class KerasImport:
    """An import that binds a Keras (or TensorFlow) name: TFB501 reads which Keras runs and what to rewrite."""

    statement: Span
    alias: Optional[Span]  # the `name [as x]` part; None for `import *`
    alias_name: Optional[Span]  # the dotted name inside the alias
    target: str  # the dotted name it binds: "tensorflow.keras", "keras.layers.Dense"
    bound: str  # the name the module uses
    module_form: bool  # `from X import ...` (True) or `import X` (False)
    from_module: Optional[Span]  # the `X` of `from X import ...`
    names_in_statement: int
    top_level: bool
    code: str = ""  # the statement as written (its first line)


@dataclass(frozen=True)
class NameUse:
    """A name or attribute chain read outside imports, with the dotted target it reaches through an import."""

    span: Span
    code: str
    qualified: str
    via: Optional[int]  # index into ModuleSummary.keras_imports


@dataclass
class ModuleSummary:
    path: str  # as discovered, for messages
    imports: Tuple[Tuple[str, int], ...] = ()  # (module as written, relative level), submodules included
    star_imports: Tuple[Tuple[str, int], ...] = ()  # `from data import *` at module level, in order
    functions: Dict[str, FunctionSummary] = field(default_factory=dict)
    classes: Dict[str, ClassSummary] = field(default_factory=dict)
    names: Dict[str, IR] = field(default_factory=dict)  # module-level names: what importers get
    tf_functions: List[TfFunctionMade] = field(default_factory=list)
    keras_imports: List[KerasImport] = field(default_factory=list)
    keras_uses: List[NameUse] = field(default_factory=list)
    legacy_keras: bool = False  # TF_USE_LEGACY_KERAS set before TensorFlow is imported
    # The project pins versions before Keras 3 (environment.py): tf.keras and keras are Keras 2. Set by the front
    # end after extraction, as it depends on files beside the module, not on its text.
    declared_keras2: bool = False
    keras1_arguments: bool = False  # passes `nb_epoch=`, `W_regularizer=`...: runs Keras 2 or older
    streamlit_ui: bool = False  # calls Streamlit's API (`st.button(...)`): run as a Streamlit app

    def location(self, line: int) -> str:
        """How messages name a line of this module: `train.py:40` (or `line 40` for a source without a path)."""
        return f"{self.path}:{line}" if self.path else f"line {line}"
