"""Which expression a name holds at a given use: the nearest earlier assignment in its scope.

Flow-insensitive scope facts from LibCST's ScopeProvider, made usable by picking the last assignment that
textually precedes the use (so `x = x / 255` reads the earlier `x`), and following tuple unpacking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple, Union

import libcst as cst
from libcst.metadata import Assignment, ComprehensionScope


@dataclass(eq=False)
class View:
    """How to read a function body: parameters bound to the argument expressions of one call site.

    The direct view binds nothing (parameters are unknown). A call-site view reads `def f(m, x): m(x)` as
    called from `f(model, x_test)` at `via_line`, one level deep.
    """

    bindings: Dict[cst.Param, cst.BaseExpression] = field(default_factory=dict)
    via_line: Optional[int] = None


DIRECT = View()


@dataclass(frozen=True)
class Assigned:
    """`expression` is the right-hand side; `path` indexes into it for tuple targets ((a, b), c = ...)."""

    expression: cst.BaseExpression
    path: Tuple[int, ...] = ()
    from_call_site: bool = False  # a parameter bound by a View: the expression belongs to the caller


@dataclass(frozen=True)
class Definition:
    node: Union[cst.FunctionDef, cst.ClassDef]


Resolution = Union[Assigned, Definition, None]


class NameResolver:
    def __init__(self, scopes, parents, positions):
        self._scopes = scopes
        self._parents = parents
        self._positions = positions
        self._visible_from: Dict[Assignment, Tuple[int, int]] = {}

    def resolve(self, name: cst.Name, view: View) -> Resolution:
        scope = self._scopes.get(name)
        if scope is None:
            return None
        try:
            accesses = scope.accesses[name]
        except KeyError:
            return None
        referents = [ref for access in accesses for ref in access.referents if isinstance(ref, Assignment)]
        chosen = self._nearest_preceding(name, scope, referents)
        if chosen is None:
            return None
        node = chosen.node
        if isinstance(node, cst.Param):
            bound = view.bindings.get(node)
            return Assigned(bound, from_call_site=True) if bound is not None else None
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return Definition(node)
        if isinstance(node, cst.Name):
            return self._assigned_to_target(node)
        return None

    def _nearest_preceding(self, use: cst.Name, use_scope, referents) -> Optional[Assignment]:
        use_start = self._start(use)
        # A comprehension runs where it is written: it reads its enclosing scope's values at that point.
        while isinstance(use_scope, ComprehensionScope) and not any(ref.scope is use_scope for ref in referents):
            use_scope = use_scope.parent
        same_scope = [ref for ref in referents if ref.scope is use_scope]
        if same_scope:
            preceding = [ref for ref in same_scope if self._effective_from(ref) <= use_start]
            return max(preceding, key=self._effective_from, default=None)
        # A global read from inside a function runs after the module body: the last assignment wins.
        return max(referents, key=self._effective_from, default=None)

    def _effective_from(self, assignment: Assignment) -> Tuple[int, int]:
        """Where the assigned value becomes visible: after the whole assignment statement."""
        if assignment not in self._visible_from:
            self._visible_from[assignment] = self._compute_effective_from(assignment)
        return self._visible_from[assignment]

    def _compute_effective_from(self, assignment: Assignment) -> Tuple[int, int]:
        node = assignment.node
        statement = self._enclosing_assignment(node)
        anchor = statement if statement is not None else node
        position = self._positions.get(anchor)
        if position is None:
            return (0, 0)
        end = position.end if statement is not None else position.start
        return (end.line, end.column)

    def _enclosing_assignment(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        current = node
        for _ in range(8):
            parent = self._parents.get(current)
            if parent is None:
                return None
            if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
                return parent
            if not isinstance(parent, (cst.AssignTarget, cst.Tuple, cst.List, cst.Element, cst.StarredElement)):
                return None
            current = parent
        return None

    def _assigned_to_target(self, target: cst.Name) -> Resolution:
        path = []
        current: cst.CSTNode = target
        while True:
            parent = self._parents.get(current)
            if isinstance(parent, cst.Element):
                container = self._parents.get(parent)
                if not isinstance(container, (cst.Tuple, cst.List)):
                    return None
                path.insert(0, list(container.elements).index(parent))
                current = container
                continue
            if isinstance(parent, cst.AssignTarget):
                statement = self._parents.get(parent)
                return Assigned(statement.value, tuple(path)) if isinstance(statement, cst.Assign) else None
            if isinstance(parent, (cst.AnnAssign, cst.NamedExpr)) and parent.value is not None and not path:
                return Assigned(parent.value)
            return None

    def _start(self, node: cst.CSTNode) -> Tuple[int, int]:
        position = self._positions.get(node)
        return (position.start.line, position.start.column) if position else (0, 0)
