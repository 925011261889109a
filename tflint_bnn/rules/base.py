"""The Rule base class: one rule per module, with VALID/INVALID examples that are its tests and its docs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Dict, FrozenSet, Iterator, List, Optional, Sequence, Tuple

from tflint_bnn.findings import Applicability, Finding, FixPlan, Position
from tflint_bnn.fixes.batching import helper_source

if TYPE_CHECKING:
    from tflint_bnn.program.facts import ForwardPass, ModuleFacts
    from tflint_bnn.settings import Settings

DOCS_URL = "https://github.com/tflint-bnn/tflint-bnn/blob/main/docs/rules/{code}.md"
Span = Tuple[Position, Position]


@dataclass(frozen=True)
class Invalid:
    """An example the rule must flag, with where (`range`) and what (`message`) it reports (as Fixit's Invalid
    pins them); `fixed` is the source after `--fix --unsafe-fixes` (None: no fix)."""

    code: str
    fixed: Optional[str] = None
    range: Optional[Span] = None
    message: Optional[str] = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    supersedes: ClassVar[FrozenSet[str]] = frozenset()
    # Superseded codes whose problem this rule's fix does not solve: after the fix --fix reports them as remaining.
    fix_leaves: ClassVar[FrozenSet[str]] = frozenset()
    # The applicabilities this rule's fixes can have; empty: it never offers a fix (`tflint-bnn rules` shows it).
    fix_safety: ClassVar[Tuple[Applicability, ...]] = ()
    # Off unless selected explicitly (no rule is off today; `tflint-bnn rules` shows it).
    default_enabled: ClassVar[bool] = True
    VALID: ClassVar[Sequence[str]] = ()
    INVALID: ClassVar[Sequence[Invalid]] = ()

    def __init__(self, settings: "Settings"):
        self.settings = settings

    def check(self, facts: "ModuleFacts") -> Iterator[Finding]:
        raise NotImplementedError

    @classmethod
    def url(cls) -> str:
        return DOCS_URL.format(code=cls.code)

    def finding(self, span: Span, message: str, fix: Optional[FixPlan] = None,
                anchor: Optional[Span] = None) -> Finding:
        return Finding(self.code, message, span[0], span[1], fix, anchor if anchor is not None else span)


def with_helper(prelude: str, body: str, flavour: str = "tensorflow") -> str:
    """An example's expected fixed source: the batching helper inserted after the prelude's imports."""
    imports, rest = prelude.split("\n\n", 1)
    return imports + "\n" + helper_source(flavour) + "\n" + rest + body


def by_site(passes: Sequence["ForwardPass"]) -> Dict[int, List["ForwardPass"]]:
    """Forward passes grouped per call (one per calling context), in source order."""
    grouped: Dict[int, List["ForwardPass"]] = {}
    for found in passes:
        grouped.setdefault(id(found.site), []).append(found)
    return grouped
