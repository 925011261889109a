"""Per-file summaries for cross-file analysis, from CPython's `ast` (cheap: no LibCST).

A module-level function's summary says which parameter it calls as a model on which other parameter, and how
often: once, per loop iteration, or per Monte Carlo sample. A caller in another file reads the summary with its
own evaluator to decide whether it passes a model and a large array (see `analysis/foreign.py`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import List, Optional, Tuple

from tflint_bnn.analysis.context import ACCUMULATING_METHODS, RANGE_FUNCTIONS, TRAINING_METHODS

Position = Tuple[int, int]  # (row 1-based, column 0-based in characters), like Finding
_LOOPS = (ast.For, ast.AsyncFor, ast.While)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
ONCE, LOOP, MONTE_CARLO = "once", "loop", "mc"


@dataclass(frozen=True)
class ModelUse:
    """`model(input ...)` inside the function, both names being its parameters."""

    model: str
    input: str
    repeat: str  # ONCE, LOOP or MONTE_CARLO
    method: str  # "call" or "predict_on_batch"
    training: bool  # `training=True` written at the call
    feeds_one: bool  # K.function style `model([input, 1])`: learning phase 1
    code: str  # the call as written, for messages
    start: Position
    end: Position


@dataclass(frozen=True)
class FunctionSummary:
    name: str
    positional: Tuple[str, ...]
    keyword_only: Tuple[str, ...]
    uses: Tuple[ModelUse, ...]


@dataclass(frozen=True)
class FileSummary:
    functions: Tuple[FunctionSummary, ...]  # only functions with a model use
    imports: Tuple[Tuple[str, int], ...]  # (module as written, relative level) of every import, submodules included


def summarise(text: str) -> FileSummary:
    """Raises SyntaxError / ValueError like `ast.parse`."""
    tree = ast.parse(text)
    lines = text.splitlines()
    functions = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            uses = tuple(_uses(node, text, lines))
            if uses:
                args = node.args
                functions.append(FunctionSummary(node.name, tuple(a.arg for a in [*args.posonlyargs, *args.args]),
                                                 tuple(a.arg for a in args.kwonlyargs), uses))
    return FileSummary(tuple(functions), tuple(_imports(tree)))


def _imports(tree: ast.Module):
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            yield from ((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            yield base, node.level
            # `from pkg import metrics` may name a submodule
            yield from ((f"{base}.{alias.name}" if base else alias.name, node.level) for alias in node.names)


def _statements(body: list):
    """Every statement, nested ones included, without walking expressions (imports are statements)."""
    stack = list(body)
    while stack:
        node = stack.pop()
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            stack.extend(getattr(node, name, ()))


def _uses(function: ast.FunctionDef, text: str, lines: List[str]) -> List[ModelUse]:
    args = function.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    parents = {}
    body_nodes = []
    stack = [(statement, function) for statement in function.body]
    while stack:
        node, parent = stack.pop()
        parents[node] = parent
        body_nodes.append(node)
        if not isinstance(node, _NESTED):  # a nested definition's calls are not this function's
            stack.extend((child, node) for child in ast.iter_child_nodes(node))
    # A parameter reassigned in the body may no longer hold what the caller passed: not followed.
    params -= {n.id for n in body_nodes if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    found = []
    for node in body_nodes:
        if isinstance(node, ast.Call):
            use = _model_use(node, params, parents, text, lines)
            if use is not None:
                found.append(use)
    return sorted(found, key=lambda use: use.start)


def _model_use(call: ast.Call, params: set, parents: dict, text: str, lines: List[str]) -> Optional[ModelUse]:
    func, method = call.func, "call"
    if isinstance(func, ast.Attribute) and func.attr in ("predict_on_batch", "__call__"):
        func, method = func.value, ("call" if func.attr == "__call__" else func.attr)
    if not (isinstance(func, ast.Name) and func.id in params):
        return None
    feed = call.args[0] if call.args and not isinstance(call.args[0], ast.Starred) else _keyword(call, "x", "inputs")
    feeds_one = False
    if isinstance(feed, (ast.List, ast.Tuple)) and feed.elts:  # K.function style: [x] or [x, learning_phase]
        last = feed.elts[-1]
        feeds_one = len(feed.elts) > 1 and isinstance(last, ast.Constant) and last.value == 1
        feed = feed.elts[0]
    if not (isinstance(feed, ast.Name) and feed.id in params and feed.id != func.id):
        return None
    training = _keyword(call, "training")
    return ModelUse(func.id, feed.id, _repeat(call, parents), method,
                    isinstance(training, ast.Constant) and training.value is True, feeds_one,
                    ast.get_source_segment(text, call) or func.id,
                    _position(lines, call.lineno, call.col_offset),
                    _position(lines, call.end_lineno, call.end_col_offset))


def _keyword(call: ast.Call, *names: str) -> Optional[ast.AST]:
    return next((k.value for k in call.keywords if k.arg in names), None)


def _repeat(call: ast.Call, parents: dict) -> str:
    """Same reading as Context.monte_carlo_loop: a range loop that repeats the call unchanged and keeps results."""
    child, parent = call, parents.get(call)
    while parent is not None and not isinstance(parent, _NESTED):
        if isinstance(parent, _LOOPS) and child in parent.body:
            return MONTE_CARLO if _repeats_and_keeps(call, parent, parents) else LOOP
        repeated = (getattr(parent, "elt", None), getattr(parent, "key", None), getattr(parent, "value", None))
        if isinstance(parent, _COMPREHENSIONS) and child in repeated:
            return MONTE_CARLO if _repeats_and_keeps(call, parent, parents) else LOOP
        child, parent = parent, parents.get(parent)
    return ONCE


def _repeats_and_keeps(call: ast.Call, loop: ast.AST, parents: dict) -> bool:
    iterable = loop.iter if isinstance(loop, _LOOPS[:2]) else (
        loop.generators[0].iter if isinstance(loop, _COMPREHENSIONS) else None)
    while isinstance(iterable, ast.Call) and _name(iterable.func) == "tqdm" and iterable.args:
        iterable = iterable.args[0]
    # Python's range, tqdm's trange; not tf.range, whose items are tensors
    if not (isinstance(iterable, ast.Call) and _name(iterable.func) in RANGE_FUNCTIONS
            and not (isinstance(iterable.func, ast.Attribute) and iterable.func.attr == "range")):
        return False
    targets = [loop.target] if isinstance(loop, _LOOPS[:2]) else [g.target for g in loop.generators]
    body = loop.body if isinstance(loop, _LOOPS) else [loop]
    stored = {n.id for s in body for n in ast.walk(s) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    varying = _names(targets) | stored
    if _names([call]) & varying:
        return False
    if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in TRAINING_METHODS
           for s in body for n in ast.walk(s)):
        return False
    return _kept(call, loop, body, parents)


def _kept(call: ast.Call, loop: ast.AST, body: list, parents: dict) -> bool:
    child, parent = call, parents.get(call)
    while parent is not None and parent is not loop:
        if isinstance(parent, ast.Call) and child in parent.args and isinstance(parent.func, ast.Attribute) \
                and parent.func.attr in ACCUMULATING_METHODS:
            return True
        if isinstance(parent, (ast.AugAssign, ast.Yield)):
            return True
        if isinstance(parent, ast.Assign):
            if any(isinstance(t, ast.Subscript) for t in parent.targets):
                return True
            return _accumulates_any(body, _names(parent.targets))
        if isinstance(parent, ast.stmt):
            return False
        child, parent = parent, parents.get(parent)
    return isinstance(loop, _COMPREHENSIONS)  # a comprehension collects its element


def _accumulates_any(body: list, names: set) -> bool:
    for node in (n for s in body for n in ast.walk(s)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ACCUMULATING_METHODS and _names(node.args) & names:
            return True
        if isinstance(node, ast.AugAssign) and _names([node.value]) & names:
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Subscript) for t in node.targets) \
                and _names([node.value]) & names:
            return True
    return False


def _names(nodes) -> set:
    return {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}


def _name(func: ast.AST) -> Optional[str]:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _position(lines: List[str], row: int, byte_column: int) -> Position:
    """ast columns count UTF-8 bytes; findings count characters."""
    line = lines[row - 1] if row - 1 < len(lines) else ""
    return row, len(line.encode("utf-8")[:byte_column].decode("utf-8", "ignore"))
