"""Cheap facts from CPython's own parser, so LibCST (about 15x slower) only parses files that can hold a finding.

Each rule states, through `Rule.may_apply(facts)`, what a module must contain for it to fire. The facts
over-approximate what the LibCST analysis can prove, so skipping a module never loses a finding: a test runs every
rule with and without triage over the test corpus and compares.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterator, Optional

from tflint_bnn.analysis.names import last_part
from tflint_bnn.analysis.rows import (GENERATOR_SIZE_INDEX, LOADERS_NUMPY, LOADERS_PANDAS, NUMPY_DIMS_AS_ARGS,
                                      NUMPY_SIZE_KEYWORD, SHAPE_FIRST)

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_FOLDED = (ast.Add, ast.Sub, ast.Mult, ast.Pow, ast.FloorDiv, ast.LShift)
_FOLD_ROUNDS = 3  # names defined from names (`M = N * 2`) settle within a few rounds in practice
# Calls whose result can have more rows than any constant in the module: the parts' rows added up.
_ROW_SUMMING = frozenset({"concatenate", "vstack", "row_stack", "concat"})
# Calls whose int arguments the evaluator reads as rows (shapes, sizes, counts); local functions join them.
_ROW_CALLS = frozenset({last_part(name) for name in (*SHAPE_FIRST, *NUMPY_SIZE_KEYWORD, *NUMPY_DIMS_AS_ARGS)}
                       | set(GENERATOR_SIZE_INDEX) | {"arange", "linspace", "reshape", "int", "train_test_split"})
# Names through which the analysis can know a Keras model: constructors, loaders, wrappers, base classes.
MODEL_MAKERS = frozenset({"Sequential", "Model", "load_model", "function", "Function"})
_DATASETS = frozenset({"load_data"})
_LOADER_MODULES = {"numpy": LOADERS_NUMPY, "pandas": LOADERS_PANDAS, "h5py": {"File"}}
_RANDOM_LAYER_MARKERS = ("Flipout", "Reparameterization", "Variational")


@dataclass(frozen=True)
class AstFacts:
    identifiers: FrozenSet[str]  # names, attribute names, imported names and module path parts
    called: FrozenSet[str]  # the last name of every called expression (`keras.Sequential(...)` -> Sequential)
    called_in_loops: FrozenSet[str]  # the same, for calls written inside a loop body
    repeated_calls: FrozenSet[str]  # calls in a `range` loop whose arguments ignore the loop variable: MC shape
    bases: FrozenSet[str]  # the last name of every class base
    local_definitions: FrozenSet[str]  # names of defs and classes in the module
    tf_function_names: FrozenSet[str]  # defs decorated with *.function, names assigned a function(...) call
    largest_int: int  # the largest int that constants in row-count positions can produce
    concat_parts: int  # 0 without concatenation; else the most items a list literal here holds
    model_builders: FrozenSet[str]  # local defs that call a model maker, local classes deriving from one
    reads_from_disk: bool  # numpy / pandas / h5py loaders called through the module's imports
    training_true: bool  # a `training=True` keyword somewhere
    has_loop: bool
    sliced_call: bool  # `f(x)[a:b]` in a loop, bounds from the loop variable (TFB101's recompute-per-slice form)
    # Cross-file: how often functions of other linted files called here run their model parameter ("once",
    # "loop", "mc"); the engine fills it from the project's summaries.
    imported_model_uses: FrozenSet[str] = frozenset()

    def names_any(self, *names: str) -> bool:
        return not self.identifiers.isdisjoint(names)

    def calls_any(self, *names: str) -> bool:
        return not self.called.isdisjoint(names)

    def makes_models(self) -> bool:
        """Could the analysis see a Keras model built, loaded or wrapped here?"""
        return self.calls_any(*MODEL_MAKERS) or not self.bases.isdisjoint(MODEL_MAKERS) or self.names_any(
            "applications")

    def builds_in_loops(self) -> bool:
        """A model constructor, a local builder or a local model class called inside a loop.

        keras.applications architectures have their own names (MobileNetV2, ...): any loop may build one."""
        if self.names_any("applications") and self.has_loop:
            return True
        return not self.called_in_loops.isdisjoint(MODEL_MAKERS | self.model_builders)

    def calls_tf_functions_in_loops(self) -> bool:
        return "function" in self.called_in_loops or not self.called_in_loops.isdisjoint(self.tf_function_names)

    def stochastic_passes_possible(self) -> bool:
        """training=True, tfp variational layers, or a K.function fed a learning phase."""
        return self.training_true or self.names_any("learning_phase") or any(
            marker in name for name in self.identifiers for marker in _RANDOM_LAYER_MARKERS)

    def may_exceed(self, rows: int) -> bool:
        """Could the analysis prove a row count above `rows` from constants in this module?"""
        return self.largest_int > rows or self.largest_int * self.concat_parts > rows


def large_rows_possible(facts: AstFacts, batch_rows: int, loaded_arrays_large: bool) -> bool:
    """Could any array in the module have more than `batch_rows` rows, as the evaluator counts them?"""
    if facts.may_exceed(batch_rows) or facts.names_any(*_DATASETS):
        return True
    return loaded_arrays_large and facts.reads_from_disk


def ast_facts(text: str, tree: Optional[ast.AST] = None) -> AstFacts:
    """Raises SyntaxError (and ValueError for NUL bytes) like `ast.parse`.

    `tree`, when given, must be `ast.parse(text)`: the flake8 plugin hands over the tree flake8 already built."""
    return _Collector(tree if tree is not None else ast.parse(text)).facts()


class _Collector:
    """One walk over the tree, keeping parents so a constant's or a call's position can be judged."""

    def __init__(self, tree: ast.AST):
        self.parents: Dict[ast.AST, ast.AST] = {}
        self.identifiers: set = set()
        self.called: set = set()
        self.called_in_loops: set = set()
        self.repeated_calls: set = set()
        self.name_aliases: list = []  # (target names, source name) of `xp = np`
        self.bases: set = set()
        self.definitions: set = set()
        self.makers_by_definition: Dict[str, set] = {}  # def/class name -> names it calls or derives from
        self.longest_literal = 0
        self.decorated: list = []  # (def name, decorator names, written in a loop)
        self.assigned_calls: list = []  # (target names, callee name) of `f = callee(...)`
        self.module_aliases: Dict[str, str] = {}  # local name -> imported module or name
        self.attribute_calls: list = []  # (root name, attribute) of `root.attr(...)` calls
        self.assignments: list = []
        self.constants: list = []  # Constant and BinOp nodes; judged once every def is known
        self.training_true = self.has_loop = self.sliced_call = False
        for node, parent in _walk(tree):
            self.parents[node] = parent
            self._visit(node, parent)

    def facts(self) -> AstFacts:
        folded_names = _fold_names(self.assignments)
        row_calls = _ROW_CALLS | self.definitions
        values = [_fold(node, folded_names) or 0 for node in self.constants if self._row_position(node, row_calls)]
        # `from tensorflow import function as tff`: the analysis resolves aliases, so triage reads them as `function`.
        function_names = {"function"} | {name for name, imported in self.module_aliases.items()
                                         if imported.rsplit(".", 1)[-1] == "function"}
        called = self.called | ({"function"} if self.called & function_names else set())
        called_in_loops = self.called_in_loops | ({"function"} if self.called_in_loops & function_names else set())
        tf_functions = set()
        for name, decorators, in_loop in self.decorated:
            if decorators & function_names:
                tf_functions.add(name)
                if in_loop:
                    called_in_loops.add("function")  # a decorated def in a loop makes a tf.function per iteration
        for names, callee in self.assigned_calls:
            if callee in function_names:
                tf_functions.update(filter(None, names))
        return AstFacts(frozenset(self.identifiers), frozenset(called), frozenset(called_in_loops),
                        frozenset(self.repeated_calls),
                        frozenset(self.bases), frozenset(self.definitions), frozenset(tf_functions),
                        max(values, default=0), self.longest_literal if self.called & _ROW_SUMMING else 0,
                        self._model_builders(), self._reads_from_disk(), self.training_true, self.has_loop,
                        self.sliced_call)

    def _visit(self, node: ast.AST, parent: Optional[ast.AST]) -> None:
        if isinstance(node, ast.Name):
            self.identifiers.add(node.id)
        elif isinstance(node, ast.Attribute):
            self.identifiers.add(node.attr)
        elif isinstance(node, ast.Call):
            self._visit_call(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.definitions.add(node.name)
            self.makers_by_definition[node.name] = {
                _last_name(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)} - {None}
            if isinstance(node, ast.ClassDef):
                bases = set(filter(None, (_last_name(base) for base in node.bases)))
                self.bases.update(bases)
                self.makers_by_definition[node.name] |= bases
            else:
                names = {_last_name(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
                self.decorated.append((node.name, names, self._in_loop(node)))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self._visit_import(node)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            self.assignments.append(node)
            self._visit_assignment(node)
        elif isinstance(node, ast.Subscript):
            self.sliced_call = self.sliced_call or self._slices_a_call_by_loop_variable(node)
        elif isinstance(node, (ast.List, ast.Tuple)):
            self.longest_literal = max(self.longest_literal, len(node.elts))
        elif isinstance(node, ast.keyword) and node.arg == "training":
            self.training_true = self.training_true or (
                isinstance(node.value, ast.Constant) and node.value.value is True)
        if isinstance(node, (ast.Constant, ast.BinOp)):
            self.constants.append(node)
        if isinstance(node, _LOOPS):
            self.has_loop = True

    def _visit_call(self, node: ast.Call) -> None:
        name = _last_name(node.func)
        if name is None:
            return
        self.called.add(name)
        loop = self._innermost_loop(node)
        if loop is not None:
            self.called_in_loops.add(name)
            if _is_range_loop(loop) and not _names_in(node.args, node.keywords) & _loop_targets(loop):
                self.repeated_calls.add(name)
        if isinstance(node.func, ast.Attribute):
            root = node.func.value
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(root, ast.Name):
                self.attribute_calls.append((root.id, node.func.attr))
        else:
            self.attribute_calls.append((name, None))  # a from-imported function: its own name tells

    def _visit_import(self, node) -> None:
        if isinstance(node, ast.ImportFrom) and node.module:
            self.identifiers.update(node.module.split("."))
        for alias in node.names:
            self.identifiers.update(alias.name.split("."))
            self.identifiers.add(alias.asname or alias.name)
            if isinstance(node, ast.ImportFrom):
                self.module_aliases[alias.asname or alias.name] = f"{node.module or ''}.{alias.name}"
            elif alias.asname:
                self.module_aliases[alias.asname] = alias.name
            else:
                self.module_aliases[alias.name.split(".")[0]] = alias.name.split(".")[0]

    def _visit_assignment(self, node) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = [_last_name(t) for t in targets]
        if isinstance(node.value, ast.Call):
            self.assigned_calls.append((names, _last_name(node.value.func)))
        if isinstance(node.value, ast.Name):
            self.name_aliases.append((names, node.value.id))  # `xp = np`: the analysis follows such aliases

    def _model_builders(self) -> FrozenSet[str]:
        """Local definitions that construct a model, directly or through another local builder."""
        builders = {name for name, calls in self.makers_by_definition.items() if calls & MODEL_MAKERS}
        for _ in range(_FOLD_ROUNDS):
            builders |= {name for name, calls in self.makers_by_definition.items() if calls & builders}
        return frozenset(builders)

    def _slices_a_call_by_loop_variable(self, node: ast.Subscript) -> bool:
        if not isinstance(node.value, ast.Call) or not isinstance(node.slice, ast.Slice):
            return False
        loop = self._innermost_loop(node)
        if loop is None or isinstance(loop, ast.While):
            return False
        return bool(_names_in([node.slice]) & _loop_targets(loop))

    def _reads_from_disk(self) -> bool:
        for names, source in self.name_aliases:
            for name in names:
                if name and source in self.module_aliases:
                    self.module_aliases.setdefault(name, self.module_aliases[source])
        for root, attribute in self.attribute_calls:
            imported = self.module_aliases.get(root)
            if imported is None:
                continue
            module = imported.split(".")[0]
            if (attribute or imported.rsplit(".", 1)[-1]) in _LOADER_MODULES.get(module, ()):
                return True
        return False

    def _in_loop(self, node: ast.AST) -> bool:
        return self._innermost_loop(node) is not None

    def _innermost_loop(self, node: ast.AST) -> Optional[ast.AST]:
        child, parent = node, self.parents.get(node)
        while parent is not None and not isinstance(parent, _SCOPES):
            if isinstance(parent, (ast.For, ast.AsyncFor, ast.While)) and child in parent.body:
                return parent
            if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                return parent
            child, parent = parent, self.parents.get(parent)
        return None

    def _row_position(self, node: ast.AST, row_calls: FrozenSet[str]) -> bool:
        """Where the evaluator reads ints that can become rows: assigned or returned values, arguments of shape
        and size functions (and of local functions, through call sites), and tuples or arithmetic inside those."""
        child, parent = node, self.parents.get(node)
        while isinstance(parent, (ast.Tuple, ast.List, ast.BinOp, ast.UnaryOp, ast.Starred, ast.keyword)):
            child, parent = parent, self.parents.get(parent)
        if isinstance(parent, (ast.Assign, ast.AnnAssign, ast.Return, ast.NamedExpr)):
            return child is parent.value
        if isinstance(parent, ast.Call):
            return child is not parent.func and _last_name(parent.func) in row_calls
        return False


def _is_range_loop(loop: ast.AST) -> bool:
    """A loop over range / trange / tqdm(range(...)) (what the analysis calls a Monte Carlo loop's shape)."""
    iterable = loop.iter if isinstance(loop, (ast.For, ast.AsyncFor)) else (
        loop.generators[0].iter if hasattr(loop, "generators") else None)
    while isinstance(iterable, ast.Call) and _last_name(iterable.func) == "tqdm" and iterable.args:
        iterable = iterable.args[0]
    return isinstance(iterable, ast.Call) and _last_name(iterable.func) in {"range", "trange", "tnrange"}


def _loop_targets(loop: ast.AST) -> set:
    targets = [loop.target] if isinstance(loop, (ast.For, ast.AsyncFor)) else [g.target for g in loop.generators]
    return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}


def _names_in(*groups) -> set:
    return {n.id for group in groups for item in group for n in ast.walk(item) if isinstance(n, ast.Name)}


def _walk(tree: ast.AST) -> Iterator:
    stack = [(tree, None)]
    while stack:
        node, parent = stack.pop()
        yield node, parent
        stack.extend((child, node) for child in ast.iter_child_nodes(node))


def _fold_names(assignments) -> Dict[str, int]:
    """An upper bound for every name assigned constant int arithmetic (tuple targets element by element)."""
    constants: Dict[str, int] = {}
    for _ in range(_FOLD_ROUNDS):
        for node in assignments:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name, value in _pairs(target, node.value):
                    folded = _fold(value, constants)
                    if folded is not None and folded > constants.get(name, -1):
                        constants[name] = folded
    return constants


def _pairs(target: ast.AST, value: ast.AST):
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)):
        for sub_target, sub_value in zip(target.elts, value.elts):
            yield from _pairs(sub_target, sub_value)


def _fold(node: ast.AST, constants: Dict[str, int]) -> Optional[int]:
    if isinstance(node, ast.Constant):
        return _int_of(node.value)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.UnaryOp):
        return _fold(node.operand, constants)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "int" and node.args:
        return _fold(node.args[0], constants)
    if isinstance(node, ast.BinOp) and isinstance(node.op, _FOLDED):
        left, right = _fold(node.left, constants), _fold(node.right, constants)
        if left is None or right is None:
            return None
        # An upper bound, not the value: subtraction and floor division cannot grow past the left operand.
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left + abs(right)
        if isinstance(node.op, ast.FloorDiv):
            return left
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Pow):
            return left ** right if 0 <= right < 64 and abs(left) < 2 ** 32 else None
        return left << right if 0 <= right < 64 else None
    return None


def _last_name(func: ast.AST) -> Optional[str]:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _int_of(value) -> Optional[int]:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer() and abs(value) < 1e18:
        return int(value)  # int(1e5) folds to a row count
    return None
