"""Cheap facts from CPython's own parser, so LibCST (about 15x slower) only parses files that can hold a finding.

Each rule states, through `Rule.may_apply(facts, settings)`, what a module must contain for it to fire. The facts
over-approximate what the LibCST analysis can prove, so skipping a module never loses a finding: a test runs every
rule with and without triage over the test corpus and compares.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional

from tflint_bnn.analysis.rows import LOADERS_NUMPY, LOADERS_PANDAS

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_FOLDED = (ast.Add, ast.Sub, ast.Mult, ast.Pow, ast.FloorDiv, ast.LShift)
# Calls whose result can have more rows than any constant in the module (rows of the parts added up).
_ROW_SUMMING = frozenset({"concatenate", "vstack", "row_stack", "concat"})
_FOLD_ROUNDS = 3  # names defined from names (`M = N * 2`) settle within a few rounds in practice
# Names through which the analysis can know a Keras model: constructors, loaders, wrappers, base classes.
MODEL_MAKERS = frozenset({"Sequential", "Model", "load_model", "applications", "function", "Function"})
_DATASETS = frozenset({"load_data"})


@dataclass(frozen=True)
class AstFacts:
    identifiers: FrozenSet[str]  # names, attribute names, imported names and module path parts
    largest_int: int  # the largest int a literal or constant arithmetic (through names) can produce
    has_loop: bool
    sliced_call: bool  # `f(x)[a:b]`: a call's result sliced (TFB101's recompute-per-slice form)

    def names_any(self, *names: str) -> bool:
        return not self.identifiers.isdisjoint(names)

    def may_exceed(self, rows: int) -> bool:
        """Could the analysis prove a row count above `rows` from constants in this module?"""
        return self.largest_int > rows or self.names_any(*_ROW_SUMMING)


def large_rows_possible(facts: AstFacts, batch_rows: int, loaded_arrays_large: bool) -> bool:
    """Could any array in the module have more than `batch_rows` rows, as the evaluator counts them?"""
    if facts.may_exceed(batch_rows) or facts.names_any(*_DATASETS):
        return True
    return loaded_arrays_large and facts.names_any(*LOADERS_NUMPY, *LOADERS_PANDAS, "File")


def ast_facts(text: str) -> AstFacts:
    """Raises SyntaxError (and ValueError for NUL bytes) like `ast.parse`."""
    tree = ast.parse(text)
    identifiers = set()
    literals = [0]
    assignments = []
    arithmetic = []
    has_loop = sliced_call = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            identifiers.add(node.id)
        elif isinstance(node, ast.Attribute):
            identifiers.add(node.attr)
        elif isinstance(node, ast.Constant):
            literals.append(_int_of(node.value) or 0)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            if isinstance(node, ast.ImportFrom) and node.module:
                identifiers.update(node.module.split("."))
            for alias in node.names:
                identifiers.update(alias.name.split("."))
                identifiers.add(alias.asname or alias.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            assignments.append(node)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, _FOLDED):
            arithmetic.append(node)
        elif isinstance(node, ast.Subscript):
            sliced_call = sliced_call or (isinstance(node.value, ast.Call) and isinstance(node.slice, ast.Slice))
        if isinstance(node, _LOOPS):
            has_loop = True
    constants = _fold_names(assignments)
    folded = [_fold(node, constants) or 0 for node in arithmetic]
    return AstFacts(frozenset(identifiers), max(literals + folded), has_loop, sliced_call)


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
            return left + max(0, -right)
        if isinstance(node.op, ast.FloorDiv):
            return left
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Pow):
            return left ** right if 0 <= right < 64 and abs(left) < 2 ** 32 else None
        return left << right if 0 <= right < 64 else None
    return None


def _int_of(value) -> Optional[int]:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer() and abs(value) < 1e18:
        return int(value)  # int(1e5) folds to a row count
    return None
