"""ModuleAnalysis: one parsed module with its metadata and the shared facts rules ask about."""

from __future__ import annotations

from functools import cached_property
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameSource, ScopeProvider

from tflint_bnn.analysis.callsites import CallSites
from tflint_bnn.analysis.context import Context
from tflint_bnn.analysis.evaluate import Evaluator
from tflint_bnn.analysis.foreign import ForeignSite, ProjectImports, collect as collect_foreign
from tflint_bnn.analysis.forward import ForwardSite, collect
from tflint_bnn.analysis.names import keras_tail
from tflint_bnn.analysis.resolve import DIRECT, Definition, NameResolver
from tflint_bnn.analysis.syntax import children, index_children
from tflint_bnn.analysis.tapes import Tapes
from tflint_bnn.analysis.tf_functions import TfFunctions


class ModuleAnalysis:
    def __init__(self, module: cst.Module, *, assume_loaded_arrays_large: bool = True,
                 imports: Optional[ProjectImports] = None):
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.module = module
        self._scopes = wrapper.resolve(ScopeProvider)
        self._positions = wrapper.resolve(PositionProvider)
        self._parents, self.calls = _parents_and_calls(module)
        self.calls.sort(key=self.start)
        self.resolver = NameResolver(self._scopes, self._parents, self._positions)
        self.evaluator = Evaluator(self, assume_loaded_arrays_large)
        self.context = Context(self)
        self.callsites = CallSites(self)
        self.imports = imports  # functions of other linted files this module may call (cross-file analysis)

    @cached_property
    def forward_sites(self) -> List[ForwardSite]:
        return collect(self)

    @cached_property
    def foreign_sites(self) -> List[ForeignSite]:
        """Calls passing a model and an array to a function of another linted file that runs the model."""
        return collect_foreign(self, self.imports) if self.imports is not None else []

    @cached_property
    def tapes(self) -> Tapes:
        return Tapes(self)

    @cached_property
    def tf_functions(self) -> TfFunctions:
        return TfFunctions(self)

    # -- syntax and positions --------------------------------------------------------------------
    def parent(self, node: cst.CSTNode) -> Optional[cst.CSTNode]:
        return self._parents.get(node)

    def start(self, node: cst.CSTNode) -> Tuple[int, int]:
        position = self._positions[node]
        return (position.start.line, position.start.column)

    def end(self, node: cst.CSTNode) -> Tuple[int, int]:
        position = self._positions[node]
        return (position.end.line, position.end.column)

    def line(self, node: cst.CSTNode) -> int:
        return self.start(node)[0]

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    # -- names -----------------------------------------------------------------------------------
    def scope_of(self, node: cst.CSTNode):
        return self._scopes.get(node)

    def qualified_names(self, node: cst.CSTNode, depth: int = 0) -> FrozenSet[str]:
        scope = self._scopes.get(node)
        if scope is None:
            return frozenset()
        qualified = scope.get_qualified_names_for(node)
        names = frozenset(q.name for q in qualified)
        if any(q.source is not QualifiedNameSource.LOCAL for q in qualified) or depth > 5:
            return names
        return self._aliased_names(node, depth) or names

    def _aliased_names(self, node: cst.CSTNode, depth: int) -> FrozenSet[str]:
        """Module aliases made by assignment: `tfpl = tfp.layers` makes `tfpl.DenseFlipout` a TFP name."""
        suffix = []
        root = node
        while isinstance(root, cst.Attribute):
            suffix.insert(0, root.attr.value)
            root = root.value
        if not isinstance(root, cst.Name):
            return frozenset()
        assigned = self.evaluator.assigned_expression(root, DIRECT)
        if not isinstance(assigned, (cst.Name, cst.Attribute)):
            return frozenset()
        return frozenset(".".join([base, *suffix]) for base in self.qualified_names(assigned, depth + 1))

    def definition_of(self, name: cst.Name) -> Optional[cst.CSTNode]:
        resolved = self.resolver.resolve(name, DIRECT)
        return resolved.node if isinstance(resolved, Definition) else None

    def keras_base_of(self, classdef: cst.ClassDef, depth: int = 0) -> Optional[Tuple[str, str]]:
        """(keras tail, qualified name) of the Keras class `classdef` derives from, through local classes."""
        if depth > 10:
            return None
        for base in classdef.bases:
            for qualified in sorted(self.qualified_names(base.value)):
                tail = keras_tail(qualified)
                if tail is not None:
                    return tail, qualified
            if isinstance(base.value, cst.Name):
                local = self.definition_of(base.value)
                if isinstance(local, cst.ClassDef):
                    found = self.keras_base_of(local, depth + 1)
                    if found is not None:
                        return found
        return None

    def returned_expressions(self, function: cst.FunctionDef) -> List[cst.BaseExpression]:
        returns = []
        stack = list(children(function.body))
        while stack:
            node = stack.pop()
            if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                continue  # a nested definition's returns are not this function's
            if isinstance(node, cst.Return) and node.value is not None:
                returns.append(node.value)
            stack.extend(children(node))
        return returns

    def sequential_additions(self, constructor: cst.Call) -> List[cst.BaseExpression]:
        """Layers passed to `model.add(...)` where `model` still holds this Sequential(...) call.

        LibCST links every read of a name to every assignment of it in the scope; a notebook that rebinds `model`
        to several Sequentials must not pool their `.add` calls, so each read is resolved to its own assignment.
        """
        assign = self.parent(constructor)
        if not isinstance(assign, cst.Assign) or len(assign.targets) != 1:
            return []
        target = assign.targets[0].target
        scope = self.scope_of(target)
        if not isinstance(target, cst.Name) or scope is None:
            return []
        layers = []
        for assignment in scope.assignments[target.value]:
            if getattr(assignment, "node", None) is not target:
                continue
            for access in assignment.references:
                attribute = self.parent(access.node)
                call = self.parent(attribute) if attribute is not None else None
                if (isinstance(attribute, cst.Attribute) and attribute.attr.value == "add"
                        and isinstance(call, cst.Call) and call.args
                        and self.evaluator.assigned_expression(access.node, DIRECT) is constructor):
                    layers.append(call.args[0].value)
        return layers


def _parents_and_calls(module: cst.Module) -> Tuple[Dict[cst.CSTNode, cst.CSTNode], List[cst.Call]]:
    """Each node's parent and every call, in one walk (about 3x cheaper than LibCST's ParentNodeProvider); the
    children it reads become the index every later walk of this module uses."""
    parents: Dict[cst.CSTNode, cst.CSTNode] = {}
    index: Dict[cst.CSTNode, Sequence[cst.CSTNode]] = {}
    calls: List[cst.Call] = []
    stack: List[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Call):
            calls.append(node)
        index[node] = node_children = node.children
        for child in node_children:
            parents[child] = node
            stack.append(child)
    index_children(index)
    return parents, calls
