"""Cross-file forward passes: a call here passes a model and an array to a function summarised in another file.

One level only: the callee's summary (analysis/summaries.py) says which parameter it calls as a model on which
other parameter; this module's evaluator reads the arguments at the call, where the array was made.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, Iterable, List, Optional, Tuple

import libcst as cst

from tflint_bnn.analysis.summaries import FunctionSummary, ModelUse
from tflint_bnn.analysis.values import ModelInfo, Rows

if TYPE_CHECKING:
    from tflint_bnn.analysis.module import ModuleAnalysis

ImportKey = Tuple[str, int]  # (module as written in the import, relative level)


@dataclass(frozen=True)
class ProjectImports:
    """What one file may call in the other linted files; picklable, built by tflint_bnn/project.py."""

    caller: str  # this file's path relative to the root, as messages name it
    modules: Dict[ImportKey, str]  # an import of a linted module -> that file's path as discovered
    functions: Dict[str, Tuple[FunctionSummary, ...]]  # that file -> its summarised functions

    def lookup(self, qualified: str) -> Optional[Tuple[str, FunctionSummary]]:
        """`pkg.metrics.evaluate` or `.metrics.evaluate` (LibCST's relative form) -> (file, summary)."""
        level = len(qualified) - len(qualified.lstrip("."))
        module, _, name = qualified[level:].rpartition(".")
        target = self.modules.get((module, level))
        if target is None:
            return None
        summary = next((f for f in self.functions[target] if f.name == name), None)
        return (target, summary) if summary is not None else None

    def repeats_called(self, called: Iterable[str]) -> FrozenSet[str]:
        """Triage: how often the summarised functions named in `called` run their model (over-approximate)."""
        names = set(called)
        return frozenset(use.repeat for functions in self.functions.values() for f in functions
                         if f.name in names for use in f.uses)

    def fingerprint(self) -> str:
        """For the cache key: a change in a callee's summary (or this file's path) is a different entry."""
        state = (self.caller, sorted(self.modules.items()), sorted(self.functions.items()))
        return hashlib.sha256(repr(state).encode()).hexdigest()


@dataclass(frozen=True)
class ForeignSite:
    call: cst.Call  # the call here, in the caller
    target: str  # the callee's file, where the forward pass is
    use: ModelUse
    model: ModelInfo
    rows: Optional[Rows]

    @property
    def stochastic(self) -> bool:
        """Same reading as ForwardSite.stochastic, with the callee's call written in the summary."""
        if self.model.always_random:
            return True
        if self.use.method == "call" and self.use.training:
            return True
        return self.model.kind == "backend.function" and self.model.learning_phase_input and self.use.feeds_one


def collect(analysis: "ModuleAnalysis", imports: ProjectImports) -> List[ForeignSite]:
    sites = []
    for call in analysis.calls:
        for qualified in sorted(analysis.qualified_names(call.func)):
            found = imports.lookup(qualified)
            if found is None:
                continue
            target, summary = found
            bound = _bind(summary, call)
            for use in summary.uses:
                model = analysis.evaluator.model(bound.get(use.model))
                if model is not None:
                    sites.append(ForeignSite(call, target, use, model, analysis.evaluator.rows(bound.get(use.input))))
            break
    return sites


def group_by_inner_call(sites: Iterable[ForeignSite]) -> Dict[Tuple[str, Tuple[int, int]], List[ForeignSite]]:
    """One group per forward pass in a callee (file, position), its callers in source order."""
    grouped: Dict[Tuple[str, Tuple[int, int]], List[ForeignSite]] = {}
    for site in sites:
        grouped.setdefault((site.target, site.use.start), []).append(site)
    return grouped


def caller_origins(analysis: "ModuleAnalysis", sites: Iterable[ForeignSite]) -> List[str]:
    """`file:line` of each caller, as messages name them."""
    caller = analysis.imports.caller if analysis.imports is not None else ""
    return list(dict.fromkeys(f"{caller}:{analysis.line(site.call)}" for site in sites))


def _bind(summary: FunctionSummary, call: cst.Call) -> Dict[str, cst.BaseExpression]:
    bound: Dict[str, cst.BaseExpression] = {}
    index = 0
    for arg in call.args:
        if arg.star:
            break  # *args / **kwargs: the rest cannot be matched statically
        if arg.keyword is None:
            if index < len(summary.positional):
                bound[summary.positional[index]] = arg.value
            index += 1
        elif arg.keyword.value in (*summary.positional, *summary.keyword_only):
            bound[arg.keyword.value] = arg.value
    return bound
