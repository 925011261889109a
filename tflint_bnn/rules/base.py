"""The Rule base class: one rule per module, with VALID/INVALID examples that are its tests and its docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple

import libcst as cst

from tflint_bnn.analysis.describe import origins_phrase
from tflint_bnn.analysis.foreign import caller_origins
from tflint_bnn.findings import Applicability, Finding, Fix
from tflint_bnn.fixes.batching import helper_source
from tflint_bnn.triage import AstFacts, large_rows_possible

if TYPE_CHECKING:
    from tflint_bnn.analysis import ModuleAnalysis
    from tflint_bnn.analysis.foreign import ForeignSite
    from tflint_bnn.analysis.forward import ForwardSite
    from tflint_bnn.settings import Settings

DOCS_URL = "https://github.com/tflint-bnn/tflint-bnn/blob/main/docs/rules/{code}.md"


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag; `fixed` is the source after `--fix --unsafe-fixes` (None: no fix)."""

    code: str
    fixed: Optional[str] = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    supersedes: ClassVar[FrozenSet[str]] = frozenset()
    # The applicabilities this rule's fixes can have; empty: it never offers a fix (`tflint-bnn rules` shows it).
    fix_safety: ClassVar[Tuple[Applicability, ...]] = ()
    # Off unless selected explicitly (no rule is off today; `tflint-bnn rules` shows it).
    default_enabled: ClassVar[bool] = True
    VALID: ClassVar[Sequence[str]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init__(self, settings: "Settings"):
        self.settings = settings

    def check(self, analysis: "ModuleAnalysis") -> Iterator[Finding]:
        raise NotImplementedError

    def may_apply(self, facts: "AstFacts") -> bool:
        """Triage before LibCST: False only when this module cannot hold a finding of this rule.

        The default parses every module; rules narrow it with facts that over-approximate their analysis.
        """
        return True

    def large_rows_possible(self, facts: "AstFacts") -> bool:
        return large_rows_possible(facts, self.settings.batch_rows, self.settings.assume_loaded_arrays_large)

    @classmethod
    def url(cls) -> str:
        return DOCS_URL.format(code=cls.code)

    def finding(self, analysis: "ModuleAnalysis", node: cst.CSTNode, message: str, fix: Optional[Fix] = None,
                anchor: Optional[cst.CSTNode] = None) -> Finding:
        anchored = anchor if anchor is not None else node
        return Finding(self.code, message, analysis.start(node), analysis.end(node), fix,
                       (analysis.start(anchored), analysis.end(anchored)))

    def foreign_finding(self, analysis: "ModuleAnalysis", sites: Sequence["ForeignSite"], mechanism: str,
                        advice: str) -> Finding:
        """A finding in another file, at the forward pass `sites` reach there, naming the callers that make its rows
        large (`mechanism; the rows come from a.py:3. advice`); never fixed from here."""
        use, origins = sites[0].use, caller_origins(analysis, sites)
        message = f"{mechanism}{origins_phrase(origins)}. {advice}"
        return Finding(self.code, message, use.start, use.end, None, (use.start, use.end), sites[0].target,
                       tuple(origins))


def with_helper(prelude: str, body: str, flavour: str = "tensorflow") -> str:
    """An example's expected fixed source: the batching helper inserted after the prelude's imports."""
    imports, rest = prelude.split("\n\n", 1)
    return imports + "\n" + helper_source(flavour) + "\n" + rest + body


def sites_by_call(analysis: "ModuleAnalysis") -> Dict[cst.Call, List["ForwardSite"]]:
    """Forward sites grouped per call: one group holds the direct reading and each call-site reading."""
    grouped: Dict[cst.Call, List["ForwardSite"]] = {}
    for site in analysis.forward_sites:
        grouped.setdefault(site.call, []).append(site)
    return grouped
