"""What a block of statements (a function body, a loop body) says about a model built in it, for TFB401.

A build is asked about once per assignment from a call (`x = f(...)`), and generated code has functions with
thousands of them; every question here is answered from one walk of the block (`BlockFacts`), so a block costs
its size once instead of once per assignment in it.
"""

from __future__ import annotations

import ast
from typing import Dict, FrozenSet, List, Optional, Set, Tuple

from tflint_bnn.analysis.vocabulary import ACCUMULATING_METHODS
from tflint_bnn.analysis.nodes import LEAVES, children, names_in, walk

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SEALED = frozenset({*_FUNCTIONS, ast.ClassDef, ast.Lambda})  # their insides run elsewhere, not in the block
_NOT_EXPRESSIONS = (ast.stmt, ast.excepthandler, ast.match_case)
_KEEPING_METHODS = ACCUMULATING_METHODS | {"appendleft", "setdefault", "update"}


def walk_statements(body: List[ast.stmt]):
    """Every node of `body`, in source order, not entering nested defs, classes or lambdas."""
    stack: List[ast.AST] = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if node.__class__ not in _SEALED:
            stack.extend(reversed(children(node)))



def last_name(node: ast.AST) -> Optional[str]:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


class BlockFacts:
    """One walk of a block: the calls of plain names in it, whether it clears the Keras session, the statements
    that may keep an object, and for every node the tests of the `if`/`while` blocks around it."""

    def __init__(self, block: List[ast.stmt]):
        self.block = block  # held so that the ids below stay unique
        self.named_calls: List[ast.Call] = []
        self.clears_session = False
        self.keepers: List[ast.AST] = []  # nodes that may keep an object: see `keeps`
        self.guards: Dict[int, Tuple[FrozenSet[str], ...]] = {}  # statement id -> names in each if/while test around
        self.conditional: Set[int] = set()  # ids of the statements inside some `if` (body or else)
        self._kept: Dict[str, bool] = {}
        self.callees: Dict[str, tuple] = {}  # scope key -> the named calls lowered there (filled by the caller)
        self._by_name: Optional[Dict[str, List[ast.AST]]] = None
        self._walk(block, (), False)

    def _walk(self, body: List[ast.stmt], guards: Tuple[FrozenSet[str], ...], conditional: bool) -> None:
        for statement in body:
            if guards:
                self.guards[id(statement)] = guards
            if conditional:
                self.conditional.add(id(statement))
            for node in _walk_one(statement):
                kind = node.__class__
                if kind is ast.Call:
                    if isinstance(node.func, ast.Name):
                        self.named_calls.append(node)
                    if last_name(node.func) == "clear_session":
                        self.clears_session = True
                    if isinstance(node.func, ast.Attribute) and node.func.attr in _KEEPING_METHODS:
                        self.keepers.append(node)
                elif kind in (ast.AugAssign, ast.Return, ast.Yield, ast.Assign, ast.AnnAssign):
                    self.keepers.append(node)
            if isinstance(statement, (ast.If, ast.While)):
                test = frozenset(_tested_names(statement.test))
                self._walk(statement.body, guards + (test,), conditional or isinstance(statement, ast.If))
                self._walk(statement.orelse, guards, conditional or isinstance(statement, ast.If))
            elif not isinstance(statement, (*_FUNCTIONS, ast.ClassDef)):
                for inner in _inner_blocks(statement):
                    self._walk(inner, guards, conditional)

    def guarded_by(self, statement: ast.stmt, target: str) -> bool:
        """Is `statement` inside an `if`/`while` of this block whose test reads `target`?"""
        return any(target in test for test in self.guards.get(id(statement), ()))

    def keeps(self, target: str) -> bool:
        """Does the block keep the object `target` holds beyond one repetition: append it, store it by key or in
        an attribute, return or yield it, or pass it to another name that is kept, accumulates (`ensemble =
        ensemble + [model]`) or is set under a condition (a best-so-far `best = model`)? A plain `other = model`
        that the next repetition overwrites keeps nothing."""
        if target not in self._kept:
            self._kept[target] = self._keeps(target, frozenset())
        return self._kept[target]

    def _keeps(self, target: str, seen: FrozenSet[str]) -> bool:
        seen = seen | {target}
        for node in self._holders().get(target, ()):
            if not isinstance(node, (ast.Assign, ast.AnnAssign)):
                return True  # appended, added, returned or yielded
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if not all(_plain_names(t) for t in targets):
                return True  # stored by key or in an attribute
            others = set().union(*(names_in(t) for t in targets)) - seen
            accumulates = others & names_in(node.value)
            if others and (accumulates or id(node) in self.conditional
                           or any(self._keeps(other, seen) for other in others)):
                return True
        return False

    def _holders(self) -> Dict[str, List[ast.AST]]:
        """name -> the keeper nodes whose kept value holds that name's object."""
        if self._by_name is None:
            self._by_name = {}
            for node in self.keepers:
                values = node.args if isinstance(node, ast.Call) else [node.value] if node.value is not None else []
                for name in set().union(*(held_names(value) for value in values)):
                    self._by_name.setdefault(name, []).append(node)
        return self._by_name


def _walk_one(statement: ast.stmt):
    """The nodes of one statement that belong to it, not to the statement blocks nested in it (names and
    constants left out: no question here is about them)."""
    stack: List[ast.AST] = [statement]
    while stack:
        node = stack.pop()
        yield node
        if node.__class__ not in _SEALED:
            stack.extend(reversed([child for child in children(node) if child.__class__ not in LEAVES
                                   and not isinstance(child, _NOT_EXPRESSIONS)]))


def _tested_names(test: ast.AST) -> Set[str]:
    """The names a test reads, and those it looks up as strings (`if "model" not in globals():`)."""
    found = names_in(test)
    for node in walk(test):
        if isinstance(node, ast.Compare) and any(isinstance(c, ast.Call) and isinstance(c.func, ast.Name)
                                                 and c.func.id in ("globals", "locals", "vars")
                                                 for c in node.comparators):
            found.update(n.value for n in [node.left] if isinstance(n, ast.Constant) and isinstance(n.value, str))
    return found


def _inner_blocks(statement: ast.stmt) -> List[List[ast.stmt]]:
    blocks = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
    blocks += [handler.body for handler in getattr(statement, "handlers", ())]
    blocks += [case.body for case in getattr(statement, "cases", ())]
    return [block for block in blocks if isinstance(block, list) and block and isinstance(block[0], ast.stmt)]


def held_names(node: ast.AST) -> Set[str]:
    """The names whose object is itself part of `node` (`m`, `(m, score)`, `{"model": m}`, `Trainer(m)`), not just
    used by it (`m.fit(x)`, `evaluate(m)`). A call of a capitalised name is taken for a class wrapping them."""
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        parts = node.elts
    elif isinstance(node, ast.Dict):
        parts = node.values
    elif isinstance(node, ast.BinOp):
        parts = [node.left, node.right]
    elif isinstance(node, ast.Call) and ((last_name(node.func) or "") in {"dict", "list", "tuple", "set"}
                                         or (last_name(node.func) or "")[:1].isupper()):
        parts = node.args
    else:
        return set()
    return set().union(*(held_names(part) for part in parts))


def _plain_names(target: ast.AST) -> bool:
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_plain_names(element) for element in target.elts)
    return isinstance(target, ast.Name)


def ends_repetition_after(loop: ast.AST, statement: ast.stmt) -> bool:
    """Is `statement` followed, in its own block of `loop`, by a `break` or `return`?"""
    stack = [loop]
    while stack:
        current = stack.pop()
        for body in _inner_blocks(current):
            for position, item in enumerate(body):
                if item is statement:
                    return any(isinstance(s, (ast.Break, ast.Return)) for s in body[position + 1:])
            stack.extend(s for s in body if not isinstance(s, (*_FUNCTIONS, ast.ClassDef)))
    return False
