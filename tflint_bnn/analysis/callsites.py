"""One level of calls: read a function's body once per call site that passes it models and arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING, Dict, List

import libcst as cst

from tflint_bnn.analysis.resolve import DIRECT, View

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis


class CallSites:
    def __init__(self, analysis: "ModuleAnalysis"):
        self._analysis = analysis
        self._views: Dict[cst.FunctionDef, List[View]] = {}

    def views(self, node: cst.CSTNode) -> List[View]:
        """The direct reading of `node`, plus one per module call site of its innermost enclosing function."""
        functions = self._analysis.context.enclosing_functions(node)
        if not functions:
            return [DIRECT]
        function = functions[0]
        if function not in self._views:
            self._views[function] = [self._bind(function, site) for site in self._call_sites(function)]
        return [DIRECT, *self._views[function]]

    def _call_sites(self, function: cst.FunctionDef) -> List[cst.Call]:
        scope = self._analysis.scope_of(function)
        if scope is None:
            return []
        sites = []
        for assignment in scope.assignments[function.name.value]:
            if getattr(assignment, "node", None) is not function:
                continue
            for access in assignment.references:
                call = self._analysis.parent(access.node)
                if isinstance(call, cst.Call) and call.func is access.node:
                    sites.append(call)
        return sites

    def _bind(self, function: cst.FunctionDef, site: cst.Call) -> View:
        params = function.params
        positional = [*params.posonly_params, *params.params]
        by_name = {p.name.value: p for p in [*positional, *params.kwonly_params]}
        bindings: Dict[cst.Param, cst.BaseExpression] = {}
        index = 0
        for arg in site.args:
            if arg.star:
                break  # *args / **kwargs at the call site: the rest cannot be matched statically
            if arg.keyword is None:
                if index < len(positional):
                    bindings[positional[index]] = arg.value
                index += 1
            elif arg.keyword.value in by_name:
                bindings[by_name[arg.keyword.value]] = arg.value
        return View(bindings, via_line=self._analysis.line(site))
