"""GradientTape blocks: which tapes record a call, and which names can flow into their gradients."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Optional, Set, Tuple

import libcst as cst
from libcst.metadata.scope_provider import ImportAssignment

from tflint_bnn.analysis.names import first_tail, tf_tail
from tflint_bnn.analysis.syntax import is_constant, keyword_argument, identifiers_in, walk

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

TAPE_CLASSES = {"GradientTape", "autodiff.GradientTape"}
DIFFERENTIATING_METHODS = {"gradient", "jacobian", "batch_jacobian"}
# Uses of a tape that neither differentiate nor hand the tape to code the linter cannot see.
_CONFINED_METHODS = DIFFERENTIATING_METHODS | {"watch", "stop_recording", "reset", "watched_variables"}
_FUNCTION_BOUNDARY = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


@dataclass(frozen=True)
class Tape:
    block: cst.With  # `with tf.GradientTape(...) as name:`
    name: Optional[cst.Name]  # None when the tape is not bound to a name


class Tapes:
    def __init__(self, analysis: "ModuleAnalysis"):
        self._analysis = analysis
        self._reaching: Dict[int, Optional[FrozenSet[str]]] = {}

    def recording(self, node: cst.CSTNode) -> List[Tape]:
        """Tapes recording `node`, innermost first, up to the enclosing function.

        A tape stops counting from the block that pauses it: `with tape.stop_recording():`.
        """
        tapes: List[Tape] = []
        paused: Set[str] = set()
        child, parent = node, self._analysis.parent(node)
        while parent is not None and not isinstance(parent, _FUNCTION_BOUNDARY):
            if isinstance(parent, cst.With) and child is parent.body:
                paused |= _paused_tape_names(parent)
                for item in parent.items:
                    if self._is_tape(item.item):
                        name = item.asname.name if item.asname is not None else None
                        name = name if isinstance(name, cst.Name) else None
                        if name is None or name.value not in paused:
                            tapes.append(Tape(parent, name))
            child, parent = parent, self._analysis.parent(parent)
        return tapes

    def watches_everything(self, tape: Tape) -> bool:
        """`watch_accessed_variables=False` records only what `tape.watch` names: a model call is not recorded."""
        for item in tape.block.items:
            if self._is_tape(item.item):
                value = keyword_argument(item.item, "watch_accessed_variables")
                if value is not None and not is_constant(value, "True"):
                    return False
        return True

    def reaching_names(self, tape: Tape) -> Optional[FrozenSet[str]]:
        """Names whose values can flow into a gradient taken from `tape`, over-approximated.

        None when this cannot be known: the tape is unnamed, is used other than through its own methods (passed
        to a function, returned, stored), or is never asked for a gradient here (the code is likely partial).
        """
        if tape.name is None:
            return None
        key = id(tape.name)
        if key not in self._reaching:
            self._reaching[key] = self._compute_reaching(tape.name)
        return self._reaching[key]

    def _compute_reaching(self, name: cst.Name) -> Optional[FrozenSet[str]]:
        scope = self._analysis.scope_of(name)
        if scope is None:
            return None
        seeds: Set[str] = set()
        for assignment in scope.assignments[name.value]:
            for access in assignment.references:
                attribute = self._analysis.parent(access.node)
                call = self._analysis.parent(attribute) if attribute is not None else None
                if isinstance(attribute, cst.Attribute) and attribute.attr.value in _CONFINED_METHODS and isinstance(
                        call, cst.Call) and call.func is attribute:
                    if attribute.attr.value in DIFFERENTIATING_METHODS:
                        seeds |= set().union(*(identifiers_in(arg.value) for arg in call.args))
                elif not isinstance(attribute, cst.Del):
                    return None
        if not seeds:
            return None
        body = getattr(scope, "node", self._analysis.module)  # the global scope has no node of its own
        return frozenset(_close_over_flows(seeds, _flows(self._analysis, body)))

    def _is_tape(self, expr: cst.BaseExpression) -> bool:
        return isinstance(expr, cst.Call) and first_tail(self._analysis.qualified_names(expr.func),
                                                         tf_tail) in TAPE_CLASSES


Holders = Tuple[cst.BaseSmallStatement, FrozenSet[str]]


def statement_holders(analysis: "ModuleAnalysis", node: cst.CSTNode) -> Optional[Holders]:
    """The statement around `node` and the names that keep its value: assignment targets, or the receiver of
    `receiver.method(..., node, ...)` (`outs.append(model(x))`). None for any other use (returned, a loop header,
    a condition, a lambda body), where the value's fate is not a matter of names."""
    child, parent = node, analysis.parent(node)
    while parent is not None and not isinstance(parent, cst.BaseSmallStatement):
        if isinstance(parent, (cst.BaseCompoundStatement, cst.Lambda)):
            return None
        child, parent = parent, analysis.parent(parent)
    if isinstance(parent, cst.Assign) and child is parent.value:
        holders = set().union(*(identifiers_in(target.target) for target in parent.targets))
    elif isinstance(parent, (cst.AnnAssign, cst.AugAssign)) and child is parent.value:
        holders = identifiers_in(parent.target)
    elif (isinstance(parent, cst.Expr) and isinstance(parent.value, cst.Call)
          and isinstance(parent.value.func, cst.Attribute) and child is parent.value):
        holders = identifiers_in(parent.value.func.value)
    else:
        return None
    return (parent, frozenset(holders)) if holders else None


Flow = Tuple[FrozenSet[str], FrozenSet[str]]  # (names that receive, names whose values they receive)


def _flows(analysis: "ModuleAnalysis", root: cst.CSTNode) -> List[Flow]:
    """Every way a value can move between names in `root`, flow-insensitively (loops run bodies again)."""
    flows: List[Flow] = []
    for node in walk(root):
        if isinstance(node, cst.Assign):
            targets = set().union(*(identifiers_in(t.target) for t in node.targets))
            flows.append((frozenset(targets), frozenset(identifiers_in(node.value))))
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign, cst.NamedExpr)) and node.value is not None:
            flows.append((frozenset(identifiers_in(node.target)), frozenset(identifiers_in(node.value))))
        elif isinstance(node, (cst.For, cst.CompFor)):
            flows.append((frozenset(identifiers_in(node.target)), frozenset(identifiers_in(node.iter))))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            flows.append((frozenset(identifiers_in(node.asname.name)), frozenset(identifiers_in(node.item))))
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and not _is_module(
                analysis, node.func.value):
            # `losses.append(x)`, `model.add_loss(x)`: a method may store its arguments in its receiver.
            arguments = set().union(*(identifiers_in(arg.value) for arg in node.args))
            flows.append((frozenset(identifiers_in(node.func.value)), frozenset(arguments)))
        elif isinstance(node, cst.FunctionDef):
            flows.append((frozenset({node.name.value}), frozenset(identifiers_in(node.body))))
    return flows


def _is_module(analysis: "ModuleAnalysis", receiver: cst.BaseExpression) -> bool:
    """`tf.print(x)`, `np.mean(x)`: a function of an imported module keeps nothing of its arguments."""
    root = receiver
    while isinstance(root, cst.Attribute):
        root = root.value
    scope = analysis.scope_of(root) if isinstance(root, cst.Name) else None
    if scope is None:
        return False
    assignments = list(scope[root.value])
    return bool(assignments) and all(isinstance(a, ImportAssignment) for a in assignments)


def _close_over_flows(seeds: Set[str], flows: List[Flow]) -> Set[str]:
    reaching = set(seeds)
    changed = True
    while changed:
        changed = False
        for receivers, sources in flows:
            if receivers & reaching and not sources <= reaching:
                reaching |= sources
                changed = True
    return reaching


def _paused_tape_names(block: cst.With) -> Set[str]:
    """`with tape.stop_recording():` pauses `tape` inside the block."""
    paused = set()
    for item in block.items:
        call = item.item
        if (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "stop_recording" and isinstance(call.func.value, cst.Name)):
            paused.add(call.func.value.value)
    return paused
