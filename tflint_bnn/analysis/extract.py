"""Lower one module to its ModuleSummary: scopes and bindings, functions, classes, loops and calls, as IR.

One walk over the tree collects every binding of every scope and the nodes that matter (calls, returns,
`self.x = ...` stores, loops, GradientTape blocks, tf.function decorators). Then the nodes are lowered to IR,
with each name resolved to what it refers to, and only the bindings some IR reaches are lowered in turn. The
tree is not needed afterwards.

Name resolution reads a use the way Python runs straight-line code: in its own scope, the nearest binding that
precedes it (so `x = x / 255` reads the earlier `x`); from a nested function, the last binding of the enclosing
scope (the function usually runs after the module body). Class scopes are invisible from their methods.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import replace
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from tflint_bnn.analysis import blocks, ir, keras_imports, retention, slices, tf_functions, variance
from tflint_bnn.analysis.index import ModuleIndex, Position
from tflint_bnn.analysis.summary import (MODULE_SCOPE, Build, CallSite, ClassSummary, FunctionSummary, Loop, LoopUse,
                                         ModuleSummary, Span, TapeUse)
from tflint_bnn.analysis.vocabulary import (ACCUMULATING_METHODS, CONFINED_TAPE_METHODS, COUNTING_CALLS, DIFFERENTIATING_METHODS,
                                            FORWARD_METHODS, KERAS_STEP_METHODS, LIBRARY_ROOTS, LOADERS, PLAIN_METHODS,
                                            TRAINING_METHODS)
from tflint_bnn.analysis.nodes import LEAVES, children, walk, names_in

_MAX_IR_DEPTH = 48  # deeper expressions lower to Unknown: one construct is skipped, never the file
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_LEAVING = (ast.Break, ast.Return, ast.Raise)  # statements that end a loop's first iteration for good
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BUILTINS = frozenset(dir(builtins))
_PLAIN_BUILTINS = frozenset({"print", "len", "isinstance", "hasattr", "getattr", "setattr", "str", "repr", "format",
                             "open", "super", "type", "id", "sorted", "min", "max", "sum", "abs", "round", "any",
                             "all", "iter", "next", "vars", "dir", "callable", "issubclass", "exit", "input"})
_TAPES = frozenset({"tensorflow.GradientTape", "tensorflow.autodiff.GradientTape"})
_LIBRARY_SITES = frozenset({"function", "vectorized_map", "Sequential", "Model", "optimize", "map", "Timer",
                            *(loader.rsplit(".", 1)[-1] for loader in LOADERS)})
_STACKING = frozenset({"vstack", "row_stack", "concatenate", "concat", "append"})
_MUTATING_METHODS = frozenset({"append", "extend", "insert", "update", "fill", "sort", "clear", "pop", "remove",
                               "setdefault", "put", "resize", "itemset"})


class _Binding:
    __slots__ = ("index", "visible", "kind", "node", "path", "extra", "additions", "appends", "lowered", "grows")

    def __init__(self, index: int, visible: Tuple[int, int], kind: str, node: Optional[ast.AST],
                 path: Tuple[int, ...] = (), extra: object = None):
        self.index = index
        self.visible = visible  # (line, byte column) from which uses see it
        self.kind = kind  # assign, param, import, def, class, for, with, aug, walrus, comp, opaque
        self.node = node
        self.path = path
        self.extra = extra
        self.additions: List[ast.AST] = []  # `name.add(layer)` calls on a Sequential bound here
        # `name.append(item)` calls on an empty list bound here: (item, loops around the call, scope of the call)
        self.appends: List[Tuple[ast.AST, Tuple[int, ...], "_Scope"]] = []
        self.lowered = False
        self.grows = False  # `data = np.vstack((data, x))` in a loop: rows added every iteration


class _Scope:
    def __init__(self, key: str, kind: str, node: Optional[ast.AST], parent: Optional["_Scope"],
                 summary: FunctionSummary):
        self.key = key
        self.kind = kind  # module, function, lambda, comprehension, class
        self.node = node
        self.parent = parent
        self.summary = summary
        self.bindings: Dict[str, List[_Binding]] = {}
        self.ordered: List[_Binding] = []
        self.declared_global: Set[str] = set()
        self.star_imports: List[Tuple[str, int]] = []
        self.class_summary: Optional[ClassSummary] = None  # class scopes: their class
        self.method_of: Optional["_Scope"] = None  # functions defined directly in a class body: that class scope

    def bind(self, name: str, visible: Tuple[int, int], kind: str, node: Optional[ast.AST],
             path: Tuple[int, ...] = (), extra: object = None) -> _Binding:
        binding = _Binding(len(self.ordered), visible, kind, node, path, extra)
        self.ordered.append(binding)
        self.bindings.setdefault(name, []).append(binding)
        return binding

    @property
    def function_like(self) -> "_Scope":
        """The scope calls and loops belong to: comprehensions run inside their enclosing function."""
        scope = self
        while scope.kind == "comprehension":
            scope = scope.parent
        return scope


class _CallNode:
    """A call found by the walk, with what its surroundings say about it."""

    __slots__ = ("node", "scope", "loops", "tapes", "path", "statement", "every", "flags")

    def __init__(self, node: ast.Call, scope: _Scope, loops: Tuple[int, ...], tapes: Tuple["_Tape", ...],
                 path: Tuple[ast.AST, ...], statement: ast.stmt, every: Tuple[Tuple[str, int, ast.AST], ...] = (),
                 flags: Tuple[Tuple[str, ast.Name, bool], ...] = ()):
        self.every = every  # the `if i % n == 0` guards around the call
        self.flags = flags  # the `if flag:` / `if not flag:` blocks around it: (function key, flag, runs when)
        self.node = node
        self.scope = scope
        self.loops = loops
        self.tapes = tapes
        self.path = path  # ancestors from the statement down to the call's parent
        self.statement = statement


class _Tape:
    __slots__ = ("block", "name", "watches_everything", "scope", "reaching")

    def __init__(self, block: ast.With, name: Optional[str], watches_everything: bool, scope: _Scope):
        self.block = block
        self.name = name
        self.watches_everything = watches_everything
        self.scope = scope
        self.reaching: object = _UNSET


_UNSET = object()


def extract(index: ModuleIndex, path: str = "") -> ModuleSummary:
    return _Extractor(index, path).run()


class _Extractor:
    def __init__(self, index: ModuleIndex, path: str):
        self.index = index
        self.summary = ModuleSummary(path)
        self.scopes: Dict[str, _Scope] = {}
        self.calls: List[_CallNode] = []
        self.returns: List[Tuple[_Scope, ast.AST]] = []
        self.yields: List[Tuple[_Scope, ast.AST]] = []
        self.stores: List[Tuple[ClassSummary, _Scope, str, ast.AST, Tuple[int, ...]]] = []
        self.class_additions: List[Tuple[ClassSummary, str, _Scope, ast.AST]] = []
        # `holder.attr.append(item)`: (scope, attr, holder, item), what fills a container kept on an object
        self.attribute_appends: List[Tuple[_Scope, str, ast.AST, ast.AST]] = []
        # `holder.attr = value` on another name than self: (scope, attr, holder, value, unpacking path)
        self.attribute_stores: List[Tuple[_Scope, str, ast.AST, ast.AST, Tuple[int, ...]]] = []
        self.loop_nodes: Dict[Tuple[str, int], ast.AST] = {}
        self.loop_iterables: List[Tuple[_Scope, int, ast.AST, _Scope]] = []
        self.loop_limits: List[Tuple[_Scope, int, _Scope, Tuple[int, int], "_Counter"]] = []
        self.decorated: List[Tuple[_Scope, ast.AST, _Scope]] = []
        self.class_nodes: List[Tuple[ClassSummary, ast.ClassDef, _Scope, _Scope]] = []
        self.layer_calls: List[Tuple[ClassSummary, ast.Call, _Scope]] = []
        self.imports: List[Tuple[str, int]] = []
        self.defaults: List[Tuple[_Scope, Dict[str, ast.AST], _Scope]] = []
        self.retention_scopes: Dict[str, retention.Scope] = {}
        self.import_nodes: List[ast.stmt] = []
        self.lowered: Dict[int, ir.IR] = {}
        self.pending: List[Tuple[_Scope, _Binding]] = []
        self.mutations: Dict[str, Set[str]] = {}
        # names a function rebinds under `global`: (function scope, binding), read as possible module values
        self.global_stores: Dict[str, List[Tuple[_Scope, _Binding]]] = {}
        self.block_facts: Dict[int, blocks.BlockFacts] = {}
        self.accumulated: Dict[int, List[Set[str]]] = {}  # id(loop body) -> names of what each iteration keeps
        self.call_names: Dict[int, FrozenSet[str]] = {}  # every call found: the names it reads
        self.call_parts: Dict[int, Tuple[FrozenSet[str], FrozenSet[str]]] = {}  # ... by its callee, by its arguments
        # `if step % 100 == 0:` blocks being walked: (function key, loop index, divisor): every 100th iteration
        self.every: List[Tuple[str, int, ast.AST]] = []
        # `if flag:` blocks being walked: (function key, the flag's name, whether the block runs when it is true)
        self.flags: List[Tuple[str, ast.Name, bool]] = []

    # -- the walk ------------------------------------------------------------------------------------------------
    def run(self) -> ModuleSummary:
        tree = self.index.tree
        module = self._scope(MODULE_SCOPE, "module", tree, None, ((1, 0), self._end_of_text()))
        self._statements(tree.body, module, (), ())
        self._lower_everything(module)
        self.summary.imports = tuple(dict.fromkeys(self.imports))
        self.summary.star_imports = tuple(self.scopes[MODULE_SCOPE].star_imports)
        self._release()
        return self.summary

    def _release(self) -> None:
        """Drop the scopes' tables: a scope's bindings point back at scopes (each `models.append(...)` records the
        scope it is in), and such a cycle held the whole tree until a full garbage collection; without it,
        reference counting frees the tree as soon as the summary is made."""
        for scope in self.scopes.values():
            scope.bindings.clear()
            scope.ordered.clear()

    def _end_of_text(self) -> Position:
        lines = self.index.lines
        return (len(lines), len(lines[-1]) if lines else 0)

    def _scope(self, key: str, kind: str, node, parent: Optional[_Scope], span: Span) -> _Scope:
        name = key.rsplit(".", 1)[-1]
        while key in self.scopes:
            key += "'"  # a redefinition in the same scope: keep both, under the same name
        summary = FunctionSummary(key, name, kind, span, parent.key if parent else None)
        scope = _Scope(key, kind, node, parent, summary)
        self.scopes[key] = scope
        self.summary.functions[key] = summary
        return scope

    def _qualified(self, scope: _Scope, name: str) -> str:
        return name if scope.kind == "module" else f"{scope.key}.{name}"

    def _statements(self, body: List[ast.stmt], scope: _Scope, loops: Tuple[int, ...], tapes: Tuple[_Tape, ...]):
        for statement in body:
            self._statement(statement, scope, loops, tapes)

    def _statement(self, node: ast.stmt, scope: _Scope, loops: Tuple[int, ...], tapes: Tuple[_Tape, ...]) -> None:
        end = (node.end_lineno, node.end_col_offset)
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None:
                for target in targets:
                    self._bind_target(target, scope, end, "assign", node.value, ())
                    if loops and isinstance(target, ast.Name) and _stacks_onto(node.value, target.id):
                        scope.bindings[target.id][-1].grows = True
                self._expression(node.value, scope, loops, tapes, node)
            elif isinstance(node.target, ast.Name) and scope.class_summary is not None:
                pass  # an annotation alone binds nothing; class fields are read from the class body below
            for target in targets:
                self._target_expressions(target, scope, loops, tapes, node)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                scope.bind(node.target.id, end, "aug", node)
            else:
                self._mutation(node.target, scope)
                self._target_expressions(node.target, scope, loops, tapes, node)
            self._expression(node.value, scope, loops, tapes, node)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._expression(node.iter, scope, loops, tapes, node)
            index = self._loop(node, scope, loops, "for", node.iter, node.target)
            self._bind_target(node.target, scope, (node.target.end_lineno, node.target.end_col_offset), "for",
                              node.iter, ())
            self._statements(node.body, scope, (index, *loops), tapes)
            self._statements(node.orelse, scope, loops, tapes)
        elif isinstance(node, ast.While):
            self._expression(node.test, scope, loops, tapes, node)
            index = self._loop(node, scope, loops, "while", None, None)
            self._statements(node.body, scope, (index, *loops), tapes)
            self._statements(node.orelse, scope, loops, tapes)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            inner = tapes
            for item in node.items:
                self._expression(item.context_expr, scope, loops, tapes, node)
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, scope, (node.lineno, node.col_offset + 1), "with",
                                      item.context_expr, ())
                tape = self._tape(node, item, scope)
                if tape is not None:
                    inner = (tape, *inner)
                paused = _paused_tape(item.context_expr)
                if paused is not None:  # `with tape.stop_recording():` pauses that tape inside the block
                    inner = tuple(recording for recording in inner if recording.name != paused)
            self._statements(node.body, scope, loops, inner)
        elif isinstance(node, _FUNCTIONS):
            self._function(node, scope, loops, tapes)
        elif isinstance(node, ast.ClassDef):
            self._class(node, scope, loops, tapes)
        elif isinstance(node, ast.Return):
            if node.value is not None:
                self.returns.append((scope, node.value))
                self._expression(node.value, scope, loops, tapes, node)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Yield) and node.value.value is not None:
            self.yields.append((scope, node.value.value))
            self._expression(node.value, scope, loops, tapes, node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._import(node, scope, end)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            scope.declared_global.update(node.names) if isinstance(node, ast.Global) else None
        elif isinstance(node, ast.If):
            self._expression(node.test, scope, loops, tapes, node)
            guard = self._every_nth(node.test, scope, loops)
            if guard is not None:
                self.every.append(guard)
            flag = _flag(node.test)
            if flag is not None:
                self.flags.append((scope.function_like.key, *flag))
            self._statements(node.body, scope, loops, tapes)
            if guard is not None:
                self.every.pop()
            if flag is not None:
                self.flags[-1] = (scope.function_like.key, flag[0], not flag[1])
            self._statements(node.orelse, scope, loops, tapes)
            if flag is not None:
                self.flags.pop()
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self._statements(node.body, scope, loops, tapes)
            for handler in node.handlers:
                if handler.name:
                    scope.bind(handler.name, (handler.lineno, handler.col_offset), "opaque", None)
                self._statements(handler.body, scope, loops, tapes)
            self._statements(node.orelse, scope, loops, tapes)
            self._statements(node.finalbody, scope, loops, tapes)
        elif isinstance(node, getattr(ast, "Match", ())):
            self._expression(node.subject, scope, loops, tapes, node)
            for case in node.cases:
                for name in _pattern_names(case.pattern):
                    scope.bind(name, (case.pattern.lineno, case.pattern.col_offset), "opaque", None)
                self._statements(case.body, scope, loops, tapes)
        else:
            for child in children(node):
                if isinstance(child, ast.expr):
                    self._expression(child, scope, loops, tapes, node)

    def _target_expressions(self, target: ast.AST, scope, loops, tapes, statement) -> None:
        """Expressions inside assignment targets (`x[i] = ...`, `self.w = ...`) still run."""
        if isinstance(target, (ast.Subscript, ast.Attribute)):
            self._mutation(target, scope)
            self._expression(target, scope, loops, tapes, statement)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._target_expressions(element, scope, loops, tapes, statement)
        elif isinstance(target, ast.Starred):
            self._target_expressions(target.value, scope, loops, tapes, statement)

    def _mutation(self, target: ast.AST, scope: _Scope) -> None:
        root = target
        while isinstance(root, (ast.Subscript, ast.Attribute)):
            root = root.value
        if isinstance(root, ast.Name):
            self.mutations.setdefault(scope.function_like.key, set()).add(root.id)

    def _bind_target(self, target: ast.AST, scope: _Scope, visible, kind: str, value: ast.AST,
                     path: Tuple[int, ...]) -> None:
        if isinstance(target, ast.Name):
            binding = scope.bind(target.id, visible, kind, value, path)
            if target.id in scope.declared_global:
                self.mutations.setdefault(scope.function_like.key, set()).add(target.id)
                self.global_stores.setdefault(target.id, []).append((scope, binding))
        elif isinstance(target, (ast.Tuple, ast.List)):
            starred = any(isinstance(element, ast.Starred) for element in target.elts)
            for position, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self._bind_target(element.value, scope, visible, "opaque", value, ())
                else:
                    self._bind_target(element, scope, visible, kind if not starred else "opaque", value,
                                      (*path, position))
        elif isinstance(target, ast.Attribute) and kind == "assign":
            self._store(target, scope, value, path)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, scope, visible, "opaque", value, ())

    def _store(self, target: ast.Attribute, scope: _Scope, value: ast.AST, path: Tuple[int, ...]) -> None:
        """`self.name = value` in a method: what the class's instances hold; `agent.model = value` on another name:
        what a script stores on an object it made."""
        method = scope.function_like
        owner = method.method_of
        if not isinstance(target.value, ast.Name):
            return
        if owner is None or not method.summary.params or target.value.id != method.summary.params[0]:
            self.attribute_stores.append((scope, target.attr, target.value, value, path))
            return
        self.stores.append((owner.class_summary, method, target.attr, value, path))

    def _loop(self, node: ast.AST, scope: _Scope, loops: Tuple[int, ...], kind: str,
              iterable: Optional[ast.AST], target: Optional[ast.AST]) -> int:
        owner = scope.function_like
        index = len(owner.summary.loops)
        body = node.body if isinstance(node, (ast.For, ast.AsyncFor, ast.While)) else [node]
        targets = frozenset(_names_bound(target)) if target is not None else frozenset()
        if isinstance(node, _COMPREHENSIONS):
            targets = frozenset(name for generator in node.generators for name in _names_bound(generator.target))
            header: Span = (self.index.start(node), self.index.end(node))
        else:
            header = (self.index.start(node), self.index.end(node.test if isinstance(node, ast.While) else node.iter))
        bound, trains = _body_facts(body)
        endless = isinstance(node, ast.While) and isinstance(node.test, ast.Constant) and bool(node.test.value)
        once = isinstance(node, (ast.For, ast.AsyncFor, ast.While)) and _stops_after_first(body)
        owner.summary.loops.append(Loop(kind, header, None, targets, targets | bound, trains, endless, once,
                                        loops[0] if loops else None))
        self.loop_nodes[(owner.key, index)] = node
        if iterable is not None:
            self.loop_iterables.append((owner, index, iterable, scope))
        counter = _counter_limit(node, body) if not once and kind != "comprehension" else None
        if counter is not None:
            self.loop_limits.append((owner, index, scope, header[0], counter))
        return index

    def _tape(self, block: ast.With, item: ast.withitem, scope: _Scope) -> Optional[_Tape]:
        call = item.context_expr
        if not isinstance(call, ast.Call) or ir.dotted(self.lower(call.func, scope)) not in _TAPES:
            return None
        name = item.optional_vars.id if isinstance(item.optional_vars, ast.Name) else None
        watch = next((k.value for k in call.keywords if k.arg == "watch_accessed_variables"), None)
        watches = watch is None or (isinstance(watch, ast.Constant) and watch.value is True)
        return _Tape(block, name, watches, scope.function_like)

    def _function(self, node, scope: _Scope, loops, tapes) -> None:
        for decorator in node.decorator_list:
            self._expression(decorator, scope, loops, tapes, node)
        args = node.args
        for default in [*args.defaults, *args.kw_defaults]:
            if default is not None:
                self._expression(default, scope, loops, tapes, node)
        span = (self.index.start(node), self.index.end(node))
        inner = self._scope(self._qualified(scope, node.name), "function", node, scope, span)
        # the binding names this def's own scope: a redefinition (`def f` twice) has a key of its own
        scope.bind(node.name, (node.end_lineno, node.end_col_offset), "def", node, extra=inner.key)
        if scope.kind == "class":
            inner.method_of = scope
            inner.summary.class_key = scope.class_summary.key
            scope.class_summary.methods[node.name] = inner.key  # the last def of a name is the method
            inner.summary.keras_step = node.name in KERAS_STEP_METHODS
        self._parameters(node.args, inner, scope)
        if node.decorator_list:
            self.decorated.append((inner, node, scope))
        self._statements(node.body, inner, (), ())

    def _parameters(self, args: ast.arguments, inner: _Scope, outer: _Scope) -> None:
        summary = inner.summary
        positional = [*args.posonlyargs, *args.args]
        summary.params = tuple(a.arg for a in positional)
        summary.kwonly = tuple(a.arg for a in args.kwonlyargs)
        summary.vararg = args.vararg.arg if args.vararg else None
        summary.kwarg = args.kwarg.arg if args.kwarg else None
        for parameter in [*positional, *args.kwonlyargs]:
            inner.bind(parameter.arg, (0, 0), "param", None)
        for star in (args.vararg, args.kwarg):
            if star is not None:
                inner.bind(star.arg, (0, 0), "opaque", None)
        defaults = dict(zip([a.arg for a in positional][len(positional) - len(args.defaults):], args.defaults))
        defaults.update((a.arg, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None)
        self.defaults.append((inner, defaults, outer))

    def _class(self, node: ast.ClassDef, scope: _Scope, loops, tapes) -> None:
        for expression in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self._expression(expression, scope, loops, tapes, node)
        span = (self.index.start(node), self.index.end(node))
        inner = self._scope(self._qualified(scope, node.name), "class", node, scope, span)
        scope.bind(node.name, (node.end_lineno, node.end_col_offset), "class", node, extra=inner.key)
        column = self.index.lines[node.lineno - 1].find(node.name, self.index.column(node.lineno, node.col_offset))
        name_span = ((node.lineno, column), (node.lineno, column + len(node.name)))
        summary = ClassSummary(inner.key, node.name, span, scope=inner.key, outer=scope.key, name_span=name_span)
        summary.fields = tuple(s.target.id for s in node.body
                               if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name))
        inner.class_summary = summary
        self.summary.classes[inner.key] = summary
        self.class_nodes.append((summary, node, inner, scope))
        self._statements(node.body, inner, (), ())

    def _import(self, node, scope: _Scope, end) -> None:
        self.import_nodes.append(node)
        if isinstance(node, ast.Import):
            for alias in node.names:
                self.imports.append((alias.name, 0))
                if alias.asname:
                    scope.bind(alias.asname, end, "import", None, extra=(alias.name, 0))
                else:
                    root = alias.name.split(".", 1)[0]
                    scope.bind(root, end, "import", None, extra=(root, 0))
            return
        base = node.module or ""
        self.imports.append((base, node.level))
        for alias in node.names:
            if alias.name == "*":
                scope.star_imports.append((base, node.level))
                continue
            full = f"{base}.{alias.name}" if base else alias.name
            self.imports.append((full, node.level))
            scope.bind(alias.asname or alias.name, end, "import", None, extra=(full, node.level))

    def _expression(self, root: ast.AST, scope: _Scope, loops: Tuple[int, ...], tapes: Tuple[_Tape, ...],
                    statement: ast.stmt, prefix: Tuple[ast.AST, ...] = ()) -> None:
        """Every node of one expression, without recursion (deep nesting must not cost the file). `prefix`: the
        ancestors between the statement and `root` (a comprehension's element sits inside the comprehension)."""
        path: List[ast.AST] = [statement, *prefix]
        stack: List[Tuple[ast.AST, int]] = [(root, len(path))]
        while stack:
            node, depth = stack.pop()
            del path[depth:]
            kind = node.__class__
            if kind is ast.Call:
                self._call(node, scope, loops, tapes, tuple(path), statement)
                if node.func.__class__ is ast.Name and node.func.id == "len" and node.args \
                        and node.args[0].__class__ is ast.Name:
                    self._reads_shape(node.args[0], scope)
            elif kind is ast.Lambda:
                self._lambda(node, scope, loops, tapes, statement, tuple(path))
                continue
            elif kind in _COMPREHENSIONS:
                self._comprehension(node, scope, loops, tapes, tuple(path), statement)
                continue
            elif kind is ast.Attribute and node.attr == "shape" and node.value.__class__ is ast.Name:
                self._reads_shape(node.value, scope)
            elif kind is ast.keyword and node.arg == "training" and node.value.__class__ is ast.Constant \
                    and node.value.value is True:
                self._forces_training(scope)
            elif kind is ast.NamedExpr and node.target.__class__ is ast.Name:
                owner = scope if scope.kind != "comprehension" else scope.function_like
                owner.bind(node.target.id, (node.end_lineno, node.end_col_offset), "walrus", node.value)
            path.append(node)
            depth += 1
            # names and constants do nothing here: they are not pushed at all
            stack.extend([(child, depth) for child in reversed(children(node))
                          if child.__class__ not in LEAVES and isinstance(child, (ast.expr, ast.keyword))])

    @staticmethod
    def _reads_shape(name: ast.Name, scope: _Scope) -> None:
        """`x.shape` or `len(x)` of a parameter `x`: the function depends on its argument's static shape."""
        owner = scope.function_like
        if owner.kind == "function" and name.id in owner.summary.params:
            owner.summary.reads_shapes = True

    @staticmethod
    def _forces_training(scope: _Scope) -> None:
        """A `training=True` keyword inside a class (and the classes around it): its dropout runs in inference."""
        while scope is not None:
            if scope.class_summary is not None:
                scope.class_summary.forces_training = True
            scope = scope.parent

    def _call(self, node: ast.Call, scope: _Scope, loops, tapes, path, statement) -> None:
        func = node.func
        if func.__class__ is ast.Attribute and func.attr in TRAINING_METHODS:
            scope.function_like.summary.trains = True
        if isinstance(func, ast.Name) and func.id in _PLAIN_BUILTINS:
            return
        if isinstance(func, ast.Attribute) and func.attr in PLAIN_METHODS and func.attr not in FORWARD_METHODS:
            if func.attr == "add" and scope.function_like is not None:
                self._addition(node, scope)
            if func.attr == "append" and isinstance(func.value, ast.Name) and len(node.args) == 1:
                self._appended(node, scope, loops)
            if func.attr == "append" and isinstance(func.value, ast.Attribute) and len(node.args) == 1 \
                    and scope.function_like is not None:
                self.attribute_appends.append((scope, func.value.attr, func.value.value, node.args[0]))
            if func.attr in _MUTATING_METHODS:
                self._mutation(func, scope)
            return
        self.calls.append(_CallNode(node, scope, loops, tapes, path, statement, tuple(self.every), tuple(self.flags)))
        holder = self._in_class(scope)
        if holder is not None:
            self.layer_calls.append((holder, node, scope))
            if blocks.last_name(func) == "dropout":
                holder.draws_dropout = True

    def _in_class(self, scope: _Scope) -> Optional[ClassSummary]:
        while scope is not None:
            if scope.class_summary is not None:
                return scope.class_summary
            scope = scope.parent
        return None

    def _addition(self, node: ast.Call, scope: _Scope) -> None:
        """`model.add(layer)` on a name, or `self.model.add(layer)` in a method."""
        receiver = node.func.value
        if not node.args:
            return
        if isinstance(receiver, ast.Name):
            binding = self._binding_at(receiver.id, scope, (node.lineno, node.col_offset))
            if binding is not None:
                binding.additions.append(node.args[0])
        elif isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
            method = scope.function_like
            owner = method.method_of
            if owner is not None and method.summary.params and receiver.value.id == method.summary.params[0]:
                self.class_additions.append((owner.class_summary, receiver.attr, method, node.args[0]))

    def _appended(self, node: ast.Call, scope: _Scope, loops: Tuple[int, ...]) -> None:
        """`models.append(build())` on a list bound empty (`[]` or `list()`): the list holds what is appended (an
        ensemble, the windows of a series)."""
        binding = self._binding_at(node.func.value.id, scope, (node.lineno, node.col_offset))
        if binding is not None and binding.kind == "assign" and not binding.path and _empty_list(binding.node):
            binding.appends.append((node.args[0], loops, scope))

    def _appended_list(self, binding: _Binding) -> ir.IR:
        """An empty list with appends: one item per append outside loops, else one per iteration of the `for` loops
        around the only append (`for i in range(5): models.append(...)`; nested loops multiply), else a list of
        unknown length."""
        items = tuple(self.lower(item, scope) for item, _, scope in binding.appends)
        if not any(loops for _, loops, _ in binding.appends):
            return ir.Seq(items, "list")
        element = items[0] if len(items) == 1 else ir.Choice(items)
        iterable: ir.IR = ir.UNKNOWN
        if len(binding.appends) == 1:
            _, loops, scope = binding.appends[0]
            # loops that also hold the `[]` start a new list each time: only those between it and the append count
            nodes = [self.loop_nodes.get((scope.function_like.key, index)) for index in loops]
            nodes = [node for node in nodes if node is not None and not _encloses(node, binding.node)]
            if nodes and all(isinstance(node, (ast.For, ast.AsyncFor)) for node in nodes):
                iterables = tuple(self.lower(node.iter, scope) for node in nodes)
                iterable = iterables[0] if len(iterables) == 1 else ir.Product(iterables)
        return ir.Comprehension(element, iterable, "list")

    def _lambda(self, node: ast.Lambda, scope: _Scope, loops, tapes, statement, path) -> None:
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self._expression(default, scope, loops, tapes, statement)
        key = f"<lambda:{node.lineno}:{node.col_offset}>"
        key = key if scope.kind == "module" else f"{scope.function_like.key}.{key}"
        inner = self._scope(key, "lambda", node, scope, (self.index.start(node), self.index.end(node)))
        self._parameters(node.args, inner, scope)
        self.returns.append((inner, node.body))
        self._expression(node.body, inner, (), (), statement, (*path[1:], node))

    def _comprehension(self, node, scope: _Scope, loops, tapes, path, statement) -> None:
        first = node.generators[0]
        inside = (*path[1:], node)
        self._expression(first.iter, scope, loops, tapes, statement, path[1:])
        key = f"{scope.function_like.key}.<comp:{node.lineno}:{node.col_offset}>"
        inner = self._scope(key, "comprehension", node, scope, (self.index.start(node), self.index.end(node)))
        index = self._loop(node, scope, loops, "comprehension", first.iter, None)
        inner_loops = (index, *loops)
        for position, generator in enumerate(node.generators):
            if position:
                self._expression(generator.iter, inner, inner_loops, tapes, statement, inside)
            self._bind_target(generator.target, inner, (0, 0), "comp", generator.iter, ())
            for condition in generator.ifs:
                self._expression(condition, inner, inner_loops, tapes, statement, inside)
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for element in elements:
            self._expression(element, inner, inner_loops, tapes, statement, inside)

    # -- resolving names ---------------------------------------------------------------------------------------------
    def _binding_at(self, name: str, scope: _Scope, at: Tuple[int, int]) -> Optional[_Binding]:
        found = self._resolve(name, scope, at)
        return found[1] if found is not None else None

    def _resolve(self, name: str, scope: _Scope, at: Tuple[int, int]) -> Optional[Tuple[_Scope, _Binding]]:
        own = scope.function_like
        current, crossed = scope, False  # crossed: left the use's function, so class bodies are invisible
        while current is not None:
            if current.kind not in ("module", "comprehension") and name in current.declared_global:
                current, crossed = self.scopes[MODULE_SCOPE], True
                continue
            bindings = current.bindings.get(name)
            if bindings and not (current.kind == "class" and crossed):
                if current.kind == "comprehension":
                    return current, bindings[0]
                if current is own:
                    preceding = [b for b in bindings if b.visible <= at]
                    return current, preceding[-1] if preceding else bindings[-1]
                return current, bindings[-1]
            if current is own:
                crossed = True
            current = current.parent
        return None

    def _name_ir(self, name: str, scope: _Scope, at: Tuple[int, int]) -> ir.IR:
        found = self._resolve(name, scope, at)
        if found is None:
            module = self.scopes[MODULE_SCOPE]
            if module.star_imports and name not in _BUILTINS:
                base, level = module.star_imports[0]
                return ir.Global(f"{base}.{name}" if base else name, level)
            return ir.Global(f"builtins.{name}")
        owner, binding = found
        stores = self.global_stores.get(name) if owner.kind == "module" else None
        if stores:  # `global _MODEL` in a lazy getter: the module's name may hold what the function stored
            return ir.Choice((self._binding_name_ir(owner, name, binding),
                              *(self._binding_name_ir(scope, name, store) for scope, store in stores)))
        return self._binding_name_ir(owner, name, binding)

    def _binding_name_ir(self, owner: _Scope, name: str, binding: _Binding) -> ir.IR:
        if binding.kind == "param":
            return ir.Param(owner.key, name)
        if binding.kind == "import":
            dotted, level = binding.extra
            return ir.Global(dotted, level)
        if binding.kind == "def":
            return ir.Func(binding.extra)
        if binding.kind == "class":
            return ir.Class(binding.extra)
        if binding.kind == "opaque":
            return ir.UNKNOWN
        if not binding.lowered:
            binding.lowered = True
            self.pending.append((owner, binding))
        return ir.Bind(owner.key, binding.index)

    # -- lowering ----------------------------------------------------------------------------------------------------
    def lower(self, node: Optional[ast.AST], scope: _Scope, depth: int = 0) -> Optional[ir.IR]:
        """The IR of an expression; the same node always gives the same IR object (rules match them by identity)."""
        if node is None:
            return None
        found = self.lowered.get(id(node))
        if found is None:
            found = self.lowered[id(node)] = self._lower(node, scope, depth)
        return found

    def _lower(self, node: ast.AST, scope: _Scope, depth: int) -> ir.IR:
        if depth > _MAX_IR_DEPTH:
            return ir.UNKNOWN
        down = depth + 1
        kind = type(node)
        if kind is ast.Name:
            return self._name_ir(node.id, scope, (node.lineno, node.col_offset))
        if kind is ast.Constant:
            return ir.Const(node.value)
        if kind is ast.Attribute:
            obj = self.lower(node.value, scope, down)
            if isinstance(obj, ir.Global):
                return ir.Global(f"{obj.name}.{node.attr}", obj.level)
            return ir.Attr(obj, node.attr)
        if kind is ast.Call:
            args = tuple(self.lower(a, scope, down) for a in node.args)
            kwargs = tuple((k.arg, self.lower(k.value, scope, down)) for k in node.keywords)
            return ir.Call(self.lower(node.func, scope, down), args, kwargs, node.lineno)
        if kind is ast.Subscript:
            return ir.Item(self.lower(node.value, scope, down), self._index(node.slice, scope, down))
        if kind in (ast.Tuple, ast.List, ast.Set):
            return ir.Seq(tuple(self.lower(e, scope, down) for e in node.elts), kind.__name__.lower())
        if kind is ast.Dict:
            return ir.DictLit(tuple(self.lower(k, scope, down) for k in node.keys),
                              tuple(self.lower(v, scope, down) for v in node.values))
        if kind is ast.BinOp:
            return ir.BinOp(type(node.op).__name__, self.lower(node.left, scope, down),
                            self.lower(node.right, scope, down))
        if kind is ast.UnaryOp:
            return ir.UnaryOp(type(node.op).__name__, self.lower(node.operand, scope, down))
        if kind is ast.BoolOp:
            return ir.Choice(tuple(self.lower(v, scope, down) for v in node.values))
        if kind is ast.IfExp:
            return ir.Choice((self.lower(node.body, scope, down), self.lower(node.orelse, scope, down)))
        if kind is ast.NamedExpr:
            return self.lower(node.value, scope, down)
        if kind is ast.Starred:
            return ir.Starred(self.lower(node.value, scope, down))
        if kind is ast.Await:
            return self.lower(node.value, scope, down)
        if kind is ast.Lambda:
            return ir.Func(self._lambda_key(node, scope))
        if kind in _COMPREHENSIONS:
            inner = self.scopes.get(f"{scope.function_like.key}.<comp:{node.lineno}:{node.col_offset}>")
            if inner is None:
                return ir.UNKNOWN
            element = node.value if kind is ast.DictComp else node.elt
            return ir.Comprehension(self.lower(element, inner, down), self.lower(node.generators[0].iter, scope, down),
                                    {ast.ListComp: "list", ast.SetComp: "set", ast.GeneratorExp: "generator",
                                     ast.DictComp: "dict"}[kind])
        return ir.UNKNOWN

    def _lambda_key(self, node: ast.Lambda, scope: _Scope) -> str:
        key = f"<lambda:{node.lineno}:{node.col_offset}>"
        return key if scope.kind == "module" else f"{scope.function_like.key}.{key}"

    def _index(self, node: ast.AST, scope: _Scope, depth: int) -> ir.IR:
        if isinstance(node, ast.Slice):
            width = None
            if node.lower is not None and node.upper is not None and node.step is None:
                found = slices.width(node.lower, node.upper, self.index.code)
                width = ir.Const(found) if isinstance(found, int) else (
                    self.lower(found, scope, depth) if found is not None else None)
            return ir.Slice(self.lower(node.lower, scope, depth), self.lower(node.upper, scope, depth),
                            self.lower(node.step, scope, depth), width)
        if isinstance(node, ast.Tuple):
            return ir.Seq(tuple(self._index(e, scope, depth + 1) for e in node.elts), "tuple")
        return self.lower(node, scope, depth)

    def _binding_ir(self, scope: _Scope, binding: _Binding) -> ir.IR:
        kind = binding.kind
        if kind == "assign" or kind == "walrus":
            value = self._unpacked(binding.node, binding.path, scope)
        elif kind in ("for", "comp"):
            owner = scope.parent if kind == "comp" and binding.node is _first_iter(scope) else scope
            value = ir.LoopItem(self.lower(binding.node, owner if kind == "comp" else scope), binding.path)
        elif kind == "with":
            value = self.lower(binding.node, scope)
        elif kind == "aug":
            node: ast.AugAssign = binding.node
            previous = self._name_ir(node.target.id, scope, (node.lineno, node.col_offset))
            value = ir.BinOp(type(node.op).__name__, previous, self.lower(node.value, scope))
        else:
            value = ir.UNKNOWN
        if binding.grows:
            value = ir.UNKNOWN  # as many rows as the iterations add: the loop's count and each part's rows
        if binding.appends:
            value = self._appended_list(binding)
        if binding.additions:
            value = ir.WithAdditions(value, tuple(self.lower(a, scope) for a in binding.additions))
        return value

    def _unpacked(self, value: ast.AST, path: Tuple[int, ...], scope: _Scope) -> ir.IR:
        for position, index in enumerate(path):
            if isinstance(value, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in value.elts):
                if index >= len(value.elts):
                    return ir.UNKNOWN
                value = value.elts[index]
                continue
            lowered = self.lower(value, scope)
            for rest in path[position:]:
                lowered = ir.Item(lowered, ir.Const(rest), True)
            return lowered
        return self.lower(value, scope)

    def _lower_everything(self, module: _Scope) -> None:
        text = self.index.text
        for scope, defaults, outer in self.defaults:
            scope.summary.defaults = {name: self.lower(node, outer) for name, node in defaults.items()}
        for scope, node, outer in self.decorated:
            scope.summary.decorators = tuple(self.lower(d, outer) for d in node.decorator_list)
        for scope, value in self.returns:
            scope.function_like.summary.returns.append(self.lower(value, scope))
        for scope, value in self.yields:
            scope.function_like.summary.yields.append(self.lower(value, scope))
        for summary, node, inner, outer in self.class_nodes:
            summary.names = {name: self._name_ir(name, inner, (node.end_lineno + 1, 0)) for name in inner.bindings
                             if name not in summary.methods}
            summary.bases = tuple(self.lower(base, outer) for base in node.bases)
            summary.decorators = tuple(self.lower(d, outer) for d in node.decorator_list)
        for summary, method, attr, value, path in self.stores:
            summary.attributes.setdefault(attr, []).append((method.key, self._unpacked(value, path, method)))
        for summary, attr, method, layer in self.class_additions:
            summary.additions.setdefault(attr, []).append(self.lower(layer, method))
        for scope, attr, holder, value, path in self.attribute_stores:
            scope.function_like.summary.attribute_stores.append((attr, self.lower(holder, scope),
                                                                  self._unpacked(value, path, scope)))
        for scope, attr, holder, item in self.attribute_appends:
            scope.function_like.summary.attribute_appends.append((attr, self.lower(holder, scope),
                                                                   self.lower(item, scope)))
        for summary, node, scope in self.layer_calls:
            if isinstance(node.func, (ast.Name, ast.Attribute)):
                summary.layer_calls.append(self.lower(node, scope))
        for owner, index, node, scope in self.loop_iterables:
            loop = owner.summary.loops[index]
            owner.summary.loops[index] = _replace_iterable(loop, self.lower(node, scope))
        for owner, index, scope, header, (name, start, limit, adjustment) in self.loop_limits:
            first = self.lower(start, scope) if start is not None else self._name_ir(name, scope, header)
            loop = owner.summary.loops[index]
            owner.summary.loops[index] = replace(loop, limit=(self.lower(limit, scope), first, adjustment))
        for call in reversed(self.calls):  # inner calls first, so that outer ones reuse their names
            self._call_names(call.node)
        for call in self.calls:
            self._call_site(call)
        may_clear_session = "clear_session" in text
        for scope in self.scopes.values():
            if scope.kind in ("function", "lambda", "module"):
                scope.summary.mutated_globals = frozenset(self.mutations.get(scope.key, ()))
            if scope.kind == "function":
                body = scope.node.body
                scope.summary.clears_session = may_clear_session and self._block_facts(body).clears_session
        self.summary.tf_functions = list(tf_functions.tf_functions_made(self))
        self._keras_facts(module)
        end = self._end_of_text()
        for name in module.bindings:
            self.summary.names[name] = self._name_ir(name, module, (end[0] + 1, 0))
        while self.pending:
            scope, binding = self.pending.pop()
            table = scope.summary.bindings
            if len(table) < len(scope.ordered):
                table.extend([None] * (len(scope.ordered) - len(table)))
            table[binding.index] = self._binding_ir(scope, binding)

    def _keras_facts(self, module: _Scope) -> None:
        summary, index = self.summary, self.index

        def dotted(node: ast.AST) -> Optional[str]:
            return ir.dotted(self.lower(node, module))

        summary.keras_imports = keras_imports.keras_imports(index, self.import_nodes)
        summary.legacy_keras = keras_imports.legacy_flag_before_tensorflow(index, dotted)
        summary.keras1_arguments = keras_imports.passes_keras1_arguments(index)
        if "tensorflow_probability" in index.text and summary.keras_imports:
            summary.keras_uses = keras_imports.keras_uses(index, summary.keras_imports, dotted)

    # -- call sites --------------------------------------------------------------------------------------------------
    def _call_site(self, found: _CallNode) -> None:
        node, scope = found.node, found.scope
        func = self.lower(node.func, scope)
        if _is_library(func) and not _library_call_of_interest(func):
            if func.name.startswith("streamlit."):
                self.summary.streamlit_ui = True
            return
        owner = scope.function_like
        callee_names, argument_names = self.call_parts[id(node)]
        names = self.call_names[id(node)]
        loops = tuple(self._loop_use(found, owner, index, argument_names | (callee_names - {"self"}))
                      for index in found.loops)
        method = node.func.attr if isinstance(node.func, ast.Attribute) else None
        receiver = node.func.value if isinstance(node.func, ast.Attribute) and method in FORWARD_METHODS \
            else node.func
        first = node.args[0] if node.args and not isinstance(node.args[0], ast.Starred) else next(
            (k.value for k in node.keywords if k.arg in ("x", "inputs")), None)
        parent = found.path[-1] if found.path else None
        grandparent = found.path[-2] if len(found.path) > 1 else None
        numpy_chain = None
        if (isinstance(parent, ast.Attribute) and parent.attr == "numpy" and isinstance(grandparent, ast.Call)
                and grandparent.func is parent and not grandparent.args and not grandparent.keywords):
            numpy_chain = self._span(grandparent)
        sliced = None
        if isinstance(parent, ast.Subscript) and parent.value is node and isinstance(parent.slice, ast.Slice):
            piece = parent.slice
            bounds = frozenset(n.id for b in (piece.lower, piece.upper) if b is not None
                               for n in walk(b) if isinstance(n, ast.Name))
            sliced = (self._span(parent), self.index.code(piece), bounds)
        holder = _holder(found.statement, node)
        kept = self._retention(found, owner, False), self._retention(found, owner, True)
        site = CallSite(
            index=len(owner.summary.calls), scope=owner.key, func=func,
            args=tuple(self.lower(a, scope) for a in node.args),
            kwargs=tuple((k.arg, self.lower(k.value, scope)) for k in node.keywords),
            span=self._span(node), code=self.index.code(node), method=method,
            callee_name=blocks.last_name(node.func), loops=loops,
            receiver_code=self.index.code(receiver), input_code=self.index.code(first) if first is not None else None,
            input_span=self._span(first) if first is not None else None,
            argument_codes=tuple(self.index.code(a) for a in [*node.args, *node.keywords]),
            numpy_chain=numpy_chain, sliced=sliced, holder=holder,
            statement=self._span(found.statement) if isinstance(found.statement, ast.stmt) else None,
            tape=self._tape_use(found), names=names, retention=kept[0], retention_of_distribution=kept[1],
            argument_spans=tuple(self._span(a) for a in [*node.args, *(k.value for k in node.keywords)]),
            builds=self._builds(found),
            flags=tuple((self.lower(name, scope), runs_when) for key, name, runs_when in found.flags
                        if key == owner.key),
            **(self._variance(found, owner) if self._may_call_traced(node, func, found.scope) else {}))
        owner.summary.calls.append(site)

    def _call_names(self, node: ast.Call) -> None:
        """The plain names read by the callee and by the arguments of a call whose inner calls have theirs: each
        node is read once, as a call's names are reused by every call around it."""
        callee = self._names_of(node.func)
        arguments = frozenset().union(*[self._names_of(argument) for argument in (*node.args, *node.keywords)])
        self.call_parts[id(node)] = callee, arguments
        self.call_names[id(node)] = callee | arguments

    def _names_of(self, node: ast.AST) -> FrozenSet[str]:
        """The plain names read anywhere in `node`, the names of the calls in it taken from `call_names`."""
        known = self.call_names.get(id(node))
        if known is not None:
            return known
        found: Set[str] = set()
        stack = [node]
        while stack:
            current = stack.pop()
            inner = self.call_names.get(id(current))
            if inner is not None:
                found |= inner
            elif current.__class__ is ast.Name:
                found.add(current.id)
            else:
                stack.extend(children(current))
        return frozenset(found)

    def loops_around(self, owner: _Scope, node: ast.AST) -> Tuple[int, ...]:
        """The loops of `owner` whose body holds `node`, innermost first."""
        found = []
        for (key, index), loop in self.loop_nodes.items():
            if key != owner.key:
                continue
            header_end = (loop.lineno, loop.col_offset) if isinstance(loop, _COMPREHENSIONS) else (
                (loop.test if isinstance(loop, ast.While) else loop.iter).end_lineno,
                (loop.test if isinstance(loop, ast.While) else loop.iter).end_col_offset)
            if header_end < (node.lineno, node.col_offset) <= (loop.end_lineno, loop.end_col_offset):
                found.append((loop.lineno, loop.col_offset, index))
        return tuple(index for _, _, index in sorted(found, reverse=True))

    def is_import(self, name: str, scope: _Scope) -> bool:
        found = self._resolve(name, scope, (10 ** 9, 0))
        return found is not None and found[1].kind == "import"

    def _may_call_traced(self, node: ast.Call, func: ir.IR, scope: _Scope) -> bool:
        """Could this call run a tf.function (then TFB301/302 need its arguments' variance)? A decorated def, a
        name bound to `tf.function(...)`, `tf.function(g)(x)`, a method of the same object, a project import."""
        if isinstance(func, ir.Func):
            return bool(getattr(self.scopes.get(func.scope), "node", None) and
                        getattr(self.scopes[func.scope].node, "decorator_list", None))
        if isinstance(func, ir.Call):
            return ir.dotted(func.func) == tf_functions.TF_FUNCTION
        if isinstance(func, ir.Global):
            return func.name.split(".", 1)[0] not in LIBRARY_ROOTS
        if isinstance(func, ir.Attr):
            return isinstance(func.obj, ir.Param)
        if isinstance(func, ir.Bind) and isinstance(node.func, ast.Name):
            binding = self._binding_at(node.func.id, scope, (node.lineno, node.col_offset))
            value = binding.node if binding is not None and binding.kind == "assign" else None
            return isinstance(value, ast.Call) and ir.dotted(self.lower(value.func, scope)) == tf_functions.TF_FUNCTION
        return False

    def _variance(self, found: _CallNode, owner: _Scope) -> dict:
        """Per argument: a Python number that changes per iteration, and the names its shape changes with."""
        if not found.loops:
            return {}
        frames = []
        counters: Set[str] = set()
        for index in found.loops:
            loop_node = self.loop_nodes[(owner.key, index)]
            loop = owner.summary.loops[index]
            frames.append(variance.LoopFrame(loop_node, loop.targets, loop.varying))
            iterable = getattr(loop_node, "iter", None) if not isinstance(loop_node, _COMPREHENSIONS) else \
                loop_node.generators[0].iter
            if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name):
                target = loop_node.target if isinstance(loop_node, (ast.For, ast.AsyncFor)) else \
                    loop_node.generators[0].target
                if iterable.func.id in ("range", "trange") and isinstance(target, ast.Name):
                    counters.add(target.id)
                elif iterable.func.id == "enumerate" and isinstance(target, ast.Tuple) and target.elts \
                        and isinstance(target.elts[0], ast.Name):
                    counters.add(target.elts[0].id)
        scope = found.scope

        def bindings(name: str):
            resolved = self._resolve(name, scope, (found.node.lineno, found.node.col_offset))
            if resolved is None:
                return ()
            holder = resolved[0]
            return [(b.kind, b.node.value if b.kind == "aug" else (b.node if not b.path else None), b.visible)
                    for b in holder.bindings[name]]

        once: Dict[str, ast.AST] = {}
        counts: Dict[str, int] = {}
        for name, bound in owner.bindings.items():
            for binding in bound:
                if any(frame.contains(binding.visible) for frame in frames):
                    counts[name] = counts.get(name, 0) + 1
                    if binding.kind == "assign" and not binding.path:
                        once[name] = binding.node
        once = {name: value for name, value in once.items() if counts[name] == 1}
        numbers = variance.PythonNumbers(frames, counters, variance.Bindings(bindings))
        shapes = variance.ShapeVariance(frames, self.index.code, once)
        arguments = [*found.node.args, *(k.value for k in found.node.keywords)]
        return {"numbers_vary": tuple(numbers.varies(a) if not isinstance(a, ast.Starred) else None
                                      for a in arguments),
                "numbers_vary_with": tuple(tuple(position for position, frame in enumerate(frames)
                                                 if names_in(a) & frame.varying) for a in arguments),
                "shapes_vary": tuple(shapes.names(a) if not isinstance(a, ast.Starred) else frozenset()
                                     for a in arguments)}

    def _retention(self, found: _CallNode, owner: _Scope, distribution: bool):
        """Samples kept in a list across the innermost loop, only for calls that loop keeps."""
        if not found.loops:
            return None
        loop = self.loop_nodes[(owner.key, found.loops[0])]
        iterable = loop.generators[0].iter if isinstance(loop, _COMPREHENSIONS) else getattr(loop, "iter", None)
        if not _counted(iterable) or not self._kept(found, loop):
            return None  # Monte Carlo samples come from a counted loop: range(T), trange(T), tqdm(range(T))
        scope = self.retention_scopes.get(owner.key)
        if scope is None:
            body = owner.node.body if not isinstance(owner.node, ast.Lambda) else [ast.Expr(owner.node.body)]
            scope = self.retention_scopes[owner.key] = retention.Scope(body)
        return retention.retention(scope, found.node, loop, lambda node: ir.dotted(self.lower(node, found.scope)),
                                   distribution)

    def _span(self, node: ast.AST) -> Span:
        return self.index.start(node), self.index.end(node)

    def _loop_use(self, found: _CallNode, owner: _Scope, index: int, names: FrozenSet[str]) -> LoopUse:
        loop = owner.summary.loops[index]
        node = self.loop_nodes[(owner.key, index)]
        divisor = next((d for key, guarded, d in found.every if key == owner.key and guarded == index), None)
        return LoopUse(index, bool(names & loop.varying), self._kept(found, node),
                       self.lower(divisor, found.scope) if divisor is not None else None)

    def _every_nth(self, test: ast.AST, scope: _Scope, loops: Tuple[int, ...]) -> Optional[Tuple[str, int, ast.AST]]:
        """`if (step + 1) % 100 == 0:` (or `not step % 100`, or either inside an `and`) in a loop over `step`: the
        block runs on every 100th iteration of that loop. (function key, loop index, the divisor) or None."""
        owner = scope.function_like
        if owner is None or not loops:
            return None
        parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        for part in parts:
            modulo = None
            if isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not):
                modulo = part.operand
            elif isinstance(part, ast.Compare) and len(part.ops) == 1 and isinstance(part.ops[0], ast.Eq):
                sides = (part.left, part.comparators[0])
                modulo = next((side for side in sides if isinstance(side, ast.BinOp)), None)
                if not any(isinstance(side, ast.Constant) for side in sides):
                    modulo = None
            if not (isinstance(modulo, ast.BinOp) and isinstance(modulo.op, ast.Mod)):
                continue
            counters = names_in(modulo.left)
            for index in loops:
                if owner.summary.loops[index].targets & counters:
                    return owner.key, index, modulo.right
        return None

    def _kept(self, found: _CallNode, loop: ast.AST) -> bool:
        """Does each iteration of `loop` keep the call's result (collect, append, add up, store by index)?"""
        chain = (*found.path, found.node)
        if isinstance(loop, _COMPREHENSIONS):
            if loop not in chain:
                return False
            child = chain[chain.index(loop) + 1] if chain.index(loop) + 1 < len(chain) else None
            return child is (loop.value if isinstance(loop, ast.DictComp) else loop.elt)
        for position in range(len(chain) - 1, 0, -1):
            parent, child = chain[position - 1], chain[position]
            if isinstance(parent, _COMPREHENSIONS):
                return False  # kept by the comprehension, which is not this loop
            if isinstance(parent, ast.Call) and child in parent.args and isinstance(parent.func, ast.Attribute) \
                    and parent.func.attr in ACCUMULATING_METHODS:
                return True
            if isinstance(parent, (ast.AugAssign, ast.Yield, ast.YieldFrom)):
                return True
            if isinstance(parent, (ast.Assign, ast.AnnAssign)):
                targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
                if any(isinstance(t, ast.Subscript) for t in targets):
                    return True
                kept = set().union(*(names_in(t) for t in targets))
                return any(accumulated & kept for accumulated in self._accumulated(loop.body))
            if isinstance(parent, ast.stmt):
                return False
        return False

    def _accumulated(self, body: List[ast.stmt]) -> List[Set[str]]:
        """`_accumulated(body)`, once per loop body however many of its calls ask."""
        found = self.accumulated.get(id(body))
        if found is None:
            found = self.accumulated[id(body)] = _accumulated(body)
        return found

    def _tape_use(self, found: _CallNode) -> Optional[TapeUse]:
        """The innermost tape recording the call, and whether its result can reach a gradient of any tape that
        records it (tapes with watch_accessed_variables=False record only what they watch)."""
        if not found.tapes:
            return None
        watching = [tape for tape in found.tapes if tape.watches_everything]
        holders = _statement_holders(found)
        reaches: Optional[bool] = False
        for tape in watching:
            reaching = self._reaching(tape)
            if holders is None or reaching is None:
                reaches = None
                break
            if holders[1] & reaching or "losses" in reaching:
                reaches = True
        statement = None
        if (holders is not None and isinstance(holders[0], ast.Assign) and len(watching) == 1
                and len(found.tapes) == 1 and found.statement in found.tapes[0].block.body):
            statement = self._span(found.statement)
        innermost = watching[0] if watching else found.tapes[0]
        return TapeUse(innermost.name, bool(watching), reaches if watching else None, statement)

    def _reaching(self, tape: _Tape) -> Optional[FrozenSet[str]]:
        """Names whose values can flow into a gradient taken from `tape`, over-approximated; None when unknown
        (an unnamed tape, one used other than through its own methods, or one never asked for a gradient)."""
        if tape.reaching is not _UNSET:
            return tape.reaching
        tape.reaching = None
        if tape.name is None:
            return None
        body = tape.scope.node.body
        seeds: Set[str] = set()
        flows: List[Tuple[FrozenSet[str], FrozenSet[str]]] = []
        for node in blocks.walk_statements(body):
            _collect_flow(node, flows)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and isinstance(
                    node.func.value, ast.Name) and node.func.value.id == tape.name:
                if node.func.attr not in CONFINED_TAPE_METHODS:
                    return None
                if node.func.attr in DIFFERENTIATING_METHODS:
                    seeds |= set().union(*(_identifiers(arg) for arg in node.args))
        if not seeds or _tape_escapes(body, tape.name):
            return None
        reaching = set(seeds)
        changed = True
        while changed:
            changed = False
            for receivers, sources in flows:
                if receivers & reaching and not sources <= reaching:
                    reaching |= sources
                    changed = True
        tape.reaching = frozenset(reaching)
        return tape.reaching

    def _builds(self, found: _CallNode) -> Tuple[Build, ...]:
        """A Build for each name that `name = <call>` or `name, other = <call>` assigns."""
        statement = found.statement
        holder = _holder(statement, found.node)
        if holder is not None:
            return (self._build(found, holder),)
        if not (isinstance(statement, ast.Assign) and statement.value is found.node and len(statement.targets) == 1
                and isinstance(statement.targets[0], (ast.Tuple, ast.List))
                and not any(isinstance(item, ast.Starred) for item in statement.targets[0].elts)):
            return ()
        written = self.index.code(statement.targets[0])
        return tuple(replace(self._build(found, item.id), position=position, written=written)
                     for position, item in enumerate(statement.targets[0].elts) if isinstance(item, ast.Name))

    def _build(self, found: _CallNode, target: str) -> Build:
        """What a model build assigned to `target` needs for TFB401: how the block around it repeats it."""
        owner = found.scope.function_like
        loops = [self.loop_nodes[(owner.key, index)] for index in found.loops]
        loops = [loop for loop in loops if isinstance(loop, (ast.For, ast.AsyncFor, ast.While))]
        if loops:
            block, repeated = loops[0].body, loops[-1].body
        elif owner.kind == "function":
            block = repeated = owner.node.body
        else:
            return Build(target, False, False, False, None, False)
        first = next((s for s in block if loops or not _is_docstring(s)), None)
        facts = self._block_facts(repeated)
        built_once = (any(isinstance(loop, ast.While) and target in names_in(loop.test) for loop in loops)
                      or facts.guarded_by(found.statement, target)
                      or bool(loops) and blocks.ends_repetition_after(loops[0], found.statement))
        callees = facts.callees.get(found.scope.key)
        if callees is None:
            callees = facts.callees[found.scope.key] = tuple(self.lower(call.func, found.scope)
                                                             for call in facts.named_calls)
        return Build(target, built_once, facts.keeps(target), facts.clears_session,
                     self._span(first) if first is not None else None, not loops, callees)

    def _block_facts(self, block: List[ast.stmt]) -> blocks.BlockFacts:
        facts = self.block_facts.get(id(block))
        if facts is None:
            facts = self.block_facts[id(block)] = blocks.BlockFacts(block)
        return facts


# -- helpers over ast ----------------------------------------------------------------------------------------------

def _stacks_onto(value: ast.AST, name: str) -> bool:
    """`name = np.vstack((name, x))`, `np.concatenate([name, x])`, `np.append(name, x, axis=0)`, `tf.concat(...)`:
    rows stacked onto the name's own value."""
    if not isinstance(value, ast.Call) or not value.args or blocks.last_name(value.func) not in _STACKING:
        return False
    first = value.args[0]
    parts = first.elts if isinstance(first, (ast.Tuple, ast.List)) else [first]
    return any(isinstance(part, ast.Name) and part.id == name for part in parts)


def _flag(test: ast.AST) -> Optional[Tuple[ast.Name, bool]]:
    """`if flag:` -> (flag, True); `if not flag:` -> (flag, False); anything else: None."""
    if isinstance(test, ast.Name):
        return test, True
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and isinstance(test.operand, ast.Name):
        return test.operand, False
    return None


def _empty_list(node: ast.AST) -> bool:
    if isinstance(node, ast.List):
        return not node.elts
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "list"
            and not node.args and not node.keywords)


# (counter name, its first value as written or None for the value it holds before the loop, limit, adjustment)
_Counter = Tuple[str, Optional[ast.AST], ast.AST, int]
_STOPS_AT = {ast.Gt: 1, ast.GtE: 0, ast.Eq: 0}  # `if i > n: break` first: n - start + 1 whole iterations
_RUNS_WHILE = {ast.Lt: 0, ast.LtE: 1, ast.NotEq: 0}  # `while i <= n:` runs n - start + 1 times


def _counter_limit(loop: ast.AST, body: List[ast.stmt]) -> Optional[_Counter]:
    """A counter that ends the loop: `while step < n:` with `step += 1` in the body, or `if i >= n: break` in the
    body with `i` the index of `enumerate(...)`, the item of `range(start, ...)`, or a name the body counts up by
    one (`fold += 1`). Only the loop's own statements count: a test nested in an `if` may never run."""
    incremented = {statement.target.id: position for position, statement in enumerate(body)
                   if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name)
                   and isinstance(statement.op, ast.Add) and isinstance(statement.value, ast.Constant)
                   and statement.value.value == 1}
    if isinstance(loop, ast.While):
        test = loop.test
        if (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _RUNS_WHILE
                and isinstance(test.left, ast.Name) and test.left.id in incremented):
            return test.left.id, None, test.comparators[0], _RUNS_WHILE[type(test.ops[0])]
        return None
    indices = _indices(loop) if isinstance(loop, (ast.For, ast.AsyncFor)) else {}
    for position, statement in enumerate(body):
        if not (isinstance(statement, ast.If) and not statement.orelse and isinstance(statement.body[-1], ast.Break)):
            continue
        test = statement.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _STOPS_AT
                and isinstance(test.left, ast.Name)):
            continue
        name = test.left.id
        # the iteration that breaks still runs the statements before the test: all of them when it comes last
        adjustment = _STOPS_AT[type(test.ops[0])] + (position == len(body) - 1)
        if name in indices:
            return name, indices[name], test.comparators[0], adjustment
        if name in incremented:  # counted up before the test, it reaches the limit one iteration sooner
            return name, None, test.comparators[0], adjustment - (incremented[name] < position)
    return None


def _indices(loop: ast.AST) -> Dict[str, ast.AST]:
    """The loop's counting target and its first value: `i` of `for i, x in enumerate(xs, start)`, of
    `for i in range(start, stop)`."""
    call = loop.iter
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and not any(
            isinstance(argument, ast.Starred) for argument in call.args)):
        return {}
    target = loop.target
    if call.func.id == "enumerate" and isinstance(target, ast.Tuple) and target.elts and \
            isinstance(target.elts[0], ast.Name):
        start = call.args[1] if len(call.args) > 1 else next(
            (keyword.value for keyword in call.keywords if keyword.arg == "start"), ast.Constant(0))
        return {target.elts[0].id: start}
    if call.func.id == "range" and isinstance(target, ast.Name) and len(call.args) <= 2 and not call.keywords:
        return {target.id: call.args[0] if len(call.args) == 2 else ast.Constant(0)}
    return {}


def _stops_after_first(body: List[ast.stmt]) -> bool:
    """The body ends in `break` / `return` / `raise` and no `continue` of this loop skips to a second iteration."""
    if not isinstance(body[-1], _LEAVING):
        return False
    stack: List[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Continue):
            return False
        if not isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef,
                                 ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return True


def _encloses(outer: ast.AST, inner: ast.AST) -> bool:
    return (outer.lineno, outer.col_offset) <= (inner.lineno, inner.col_offset) and \
        (inner.end_lineno, inner.end_col_offset) <= (outer.end_lineno, outer.end_col_offset)


def _replace_iterable(loop: Loop, iterable: ir.IR) -> Loop:
    return replace(loop, iterable=iterable)


def _first_iter(scope: _Scope) -> Optional[ast.AST]:
    node = scope.node
    return node.generators[0].iter if isinstance(node, _COMPREHENSIONS) else None




def _is_library(func: ir.IR) -> bool:
    """A call of a library function or class (numpy, TensorFlow, Keras, builtins...): never the project's code."""
    return isinstance(func, ir.Global) and not func.level and func.name.split(".", 1)[0] in LIBRARY_ROOTS


def _library_call_of_interest(func: ir.Global) -> bool:
    """Library calls the rules still need as sites: tf.function (TFB303), tf.vectorized_map (TFB206), model
    constructors and loaders assigned in loops (TFB401), optuna's optimize and builtin map (drive a loop)."""
    return func.name.rsplit(".", 1)[-1] in _LIBRARY_SITES or ".applications." in func.name


def _identifiers(node: ast.AST) -> Set[str]:
    """Every identifier, attribute names included: an over-approximation of what an expression may touch."""
    found = set()
    for n in walk(node):
        if isinstance(n, ast.Name):
            found.add(n.id)
        elif isinstance(n, ast.Attribute):
            found.add(n.attr)
    return found


def _names_bound(target: ast.AST) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _names_bound(element)
    elif isinstance(target, ast.Starred):
        yield from _names_bound(target.value)




def _counted(iterable: Optional[ast.AST]) -> bool:
    """`range(...)`, `trange(...)`, `tqdm(range(...))`, `np.arange(...)` as written: the loops that can draw Monte
    Carlo samples."""
    while isinstance(iterable, ast.Call) and blocks.last_name(iterable.func) in ("tqdm", "enumerate") and iterable.args:
        iterable = iterable.args[0]
    return isinstance(iterable, ast.Call) and blocks.last_name(iterable.func) in COUNTING_CALLS


def _body_facts(body: List[ast.stmt]) -> Tuple[FrozenSet[str], bool]:
    """The names a loop body binds, and whether it trains or updates a model (fit, apply_gradients, ...)."""
    bound = set()
    trains = False
    for node in blocks.walk_statements(body):
        kind = type(node)
        if kind is ast.Name:
            if not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
        elif kind is ast.Call:
            trains = trains or (isinstance(node.func, ast.Attribute) and node.func.attr in TRAINING_METHODS)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            bound.add(node.name)
        elif kind in (ast.Import, ast.ImportFrom):
            bound.update((a.asname or a.name).split(".", 1)[0] for a in node.names)
    return frozenset(bound), trains


def _accumulated(body: List[ast.stmt]) -> List[Set[str]]:
    """The names of each expression the loop body keeps: appended, added up, stored by index."""
    found = []
    for node in blocks.walk_statements(body):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ACCUMULATING_METHODS:
            found.extend(names_in(a) for a in node.args)
        elif isinstance(node, ast.AugAssign) or isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Subscript) for t in node.targets):
            found.append(names_in(node.value))
    return found


def _holder(statement: ast.stmt, call: ast.Call) -> Optional[str]:
    if isinstance(statement, ast.Assign) and statement.value is call and len(statement.targets) == 1 \
            and isinstance(statement.targets[0], ast.Name):
        return statement.targets[0].id
    if isinstance(statement, ast.AnnAssign) and statement.value is call and isinstance(statement.target, ast.Name):
        return statement.target.id
    return None


def _statement_holders(found: _CallNode) -> Optional[Tuple[ast.stmt, FrozenSet[str]]]:
    """The statement around the call and the names that keep its value: assignment targets, or the receiver of
    `receiver.method(..., call, ...)`. None for any other use (returned, a condition, a lambda body)."""
    statement = found.statement
    if any(isinstance(node, (ast.Lambda, *_COMPREHENSIONS)) for node in found.path[1:]) and not isinstance(
            statement, ast.Assign):
        return None
    if isinstance(statement, ast.Assign):
        holders = set().union(*(_identifiers(t) for t in statement.targets))
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)) and statement.value is not None:
        holders = _identifiers(statement.target)
    elif (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
          and isinstance(statement.value.func, ast.Attribute)):
        holders = _identifiers(statement.value.func.value)
    else:
        return None
    return (statement, frozenset(holders)) if holders else None


def _collect_flow(node: ast.AST, flows: List[Tuple[FrozenSet[str], FrozenSet[str]]]) -> None:
    """Every way a value can move between names, flow-insensitively (loops run bodies again)."""
    if isinstance(node, ast.Assign):
        targets = set().union(*(_identifiers(t) for t in node.targets))
        flows.append((frozenset(targets), frozenset(_identifiers(node.value))))
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.NamedExpr)) and node.value is not None:
        flows.append((frozenset(_identifiers(node.target)), frozenset(_identifiers(node.value))))
    elif isinstance(node, (ast.For, ast.comprehension)):
        flows.append((frozenset(_identifiers(node.target)), frozenset(_identifiers(node.iter))))
    elif isinstance(node, ast.withitem) and node.optional_vars is not None:
        flows.append((frozenset(_identifiers(node.optional_vars)), frozenset(_identifiers(node.context_expr))))
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        # `losses.append(x)`, `model.add_loss(x)`: a method may store its arguments in its receiver.
        arguments = set().union(*(_identifiers(a) for a in node.args), *(_identifiers(k.value) for k in node.keywords))
        flows.append((frozenset(_identifiers(node.func.value)), frozenset(arguments)))
    elif isinstance(node, _FUNCTIONS):
        flows.append((frozenset({node.name}), frozenset(set().union(*(_identifiers(s) for s in node.body)))))


def _tape_escapes(body: List[ast.stmt], name: str) -> bool:
    """The tape is used other than through its own methods (passed on, returned, stored)."""
    for node in blocks.walk_statements(body):
        for child in children(node):
            if isinstance(child, ast.Name) and child.id == name and isinstance(child.ctx, ast.Load):
                if not (isinstance(node, ast.Attribute) and node.value is child):
                    return True
    return False


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(
        statement.value.value, str)


def _paused_tape(expr: ast.AST) -> Optional[str]:
    if (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr == "stop_recording"
            and isinstance(expr.func.value, ast.Name)):
        return expr.func.value.id
    return None


def _pattern_names(pattern: ast.AST) -> Iterator[str]:
    for node in walk(pattern):
        name = getattr(node, "name", None)
        if isinstance(name, str):
            yield name
