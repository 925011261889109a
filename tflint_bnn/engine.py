"""The path of one source: parse (ast), summary, the program's facts, rules, suppressions, fixes.

`Linter.lint(text)` checks one source on its own, or against the summaries of the project around it
(`program=`). The runner checks many files against one shared ProgramFacts (`Linter.check`), so the evaluator's
caches serve every file of a run.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass, field, replace
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import libcst as cst

from tflint_bnn.analysis.extract import extract
from tflint_bnn.analysis.index import ModuleIndex, ParseError, Position, line_offsets
from tflint_bnn.analysis.summary import ModuleSummary
from tflint_bnn.findings import Edit, Finding, Fix, FixPlan
from tflint_bnn.fixes.edits import apply_fixes
from tflint_bnn.fixes.view import CstView
from tflint_bnn.noqa import is_file_exempt, parse_suppressions
from tflint_bnn.program.facts import ModuleFacts, ProgramFacts
from tflint_bnn.rules import ALL_RULES, RULES_BY_CODE
from tflint_bnn.settings import Settings

MAX_FIX_ROUNDS = 10
# Sources that never name TensorFlow, Keras or TFP hold no finding of their own; they are still summarised when
# they belong to a project (a helper that runs its model parameter need not import TensorFlow).
_PREFILTER = re.compile(r"\b(?:tensorflow|keras|tf_keras|tensorflow_probability)\b")

__all__ = ["FixResult", "Linter", "ParseError", "summarise"]


@dataclass
class FixResult:
    text: str
    applied: List[Finding] = field(default_factory=list)
    remaining: List[Finding] = field(default_factory=list)
    error: Optional[str] = None  # set when a fix produced invalid code: nothing was changed


# Generated modules past this size are reported, not analysed: analysis costs about 5 s per MiB, and no
# hand-written TensorFlow module in the benchmark corpus comes near it (the largest is 0.4 MiB).
MAX_ANALYSED_CHARS = 4 * 1024 * 1024


def summarise(text: str, path: str = "", tree: Optional[ast.Module] = None) -> ModuleSummary:
    """The source's summary; raises ParseError for anything CPython cannot parse, or too large to analyse."""
    if len(text) > MAX_ANALYSED_CHARS:
        raise ParseError(f"is {len(text) / 1e6:.1f} MB, over the {MAX_ANALYSED_CHARS // 2 ** 20} MB limit for "
                         "analysis; not checked")
    return extract(ModuleIndex(text, tree), path)


class Linter:
    def __init__(self, settings: Settings, *, program: Optional[Mapping[str, ModuleSummary]] = None,
                 path: str = ""):
        self.settings = settings
        self.rules = [rule(settings) for rule in ALL_RULES if settings.is_enabled(rule.code, rule.default_enabled)]
        self.program = dict(program) if program else {}  # the summaries of the files around this one
        self.path = path  # this source's path as the program knows it ("" alone)

    def might_have_findings(self, text: str) -> bool:
        return bool(self.rules) and (bool(self.program) or _PREFILTER.search(text) is not None)

    def lint(self, text: str, ignored_codes: Sequence[str] = (), tree: Optional[ast.Module] = None,
             line_noqa: bool = True, fixes: bool = True) -> List[Finding]:
        """`tree`: `ast.parse(text)` when the caller has it already (flake8 does). `line_noqa=False` leaves
        `# noqa` comments on lines to the caller (flake8 applies its own); the file-level `# tflint-bnn: noqa`
        always applies. `fixes=False` skips writing the fixes' edits (flake8 shows none)."""
        if not self.might_have_findings(text):
            return []
        summary = summarise(text, self.path, tree)
        modules = {**self.program, self.path: summary}
        facts = ProgramFacts(modules, self.settings.assume_loaded_arrays_large)
        return self.check(facts, text, ignored_codes, line_noqa, fixes)

    def check(self, facts: ProgramFacts, text: str, ignored_codes: Sequence[str] = (), line_noqa: bool = True,
              fixes: bool = True) -> List[Finding]:
        """The findings of the module at `self.path` in `facts`, whose source is `text`."""
        return self._check(facts, text, ignored_codes, line_noqa, fixes)[0]

    def _check(self, facts: ProgramFacts, text: str, ignored_codes: Sequence[str], line_noqa: bool = True,
               fixes: bool = True) -> Tuple[List[Finding], List[Tuple[Finding, Finding]]]:
        """The findings, and the (superseded finding, finding that superseded it) pairs."""
        if is_file_exempt(text):
            return [], []
        module_facts = ModuleFacts(facts, self.path)
        every = [finding for rule in self.rules for finding in rule.check(module_facts)]
        if not every:
            return [], []  # most files: no comment to read, no message to rewrite
        if self.path:  # messages name places of this file as `line 12`, of other files as `train.py:40`
            here = re.compile(re.escape(self.path) + r":(\d+)\b")
            every = [replace(f, message=here.sub(r"line \1", f.message)) for f in every]
        findings, superseded = _drop_superseded(every)  # before suppressions: `# noqa: TFB203` hides TFB101 too
        suppressions = parse_suppressions(text)

        def shown(finding: Finding) -> bool:
            return finding.code not in ignored_codes and not (
                line_noqa and suppressions.suppresses(finding.start[0], finding.code))

        findings = [f for f in findings if shown(f)]
        superseded = [(dropped, by) for dropped, by in superseded if shown(dropped)]
        findings.sort(key=lambda f: (f.start, f.code))
        return (materialise(text, findings) if fixes else [replace(f, fix=None) if isinstance(f.fix, FixPlan) else f
                                                           for f in findings]), superseded

    def _lint_for_fix(self, text: str, ignored_codes: Sequence[str]
                      ) -> Tuple[List[Finding], List[Tuple[Finding, Finding]]]:
        if not self.might_have_findings(text):
            return [], []
        modules = {**self.program, self.path: summarise(text, self.path)}
        return self._check(ProgramFacts(modules, self.settings.assume_loaded_arrays_large), text, ignored_codes)

    def fix(self, text: str, unsafe_fixes: bool, ignored_codes: Sequence[str] = (),
            facts: Optional[ProgramFacts] = None) -> FixResult:
        """Apply fixes until none applies (bounded); all or nothing if any round stops parsing. `facts`: the
        program `text` already belongs to (the runner's), so a file without fixes costs no second analysis.

        What remains is the fixed text linted again by every selected rule, plus the findings a fix left standing
        that its own finding had superseded (Rule.fix_leaves: TFB201's batching keeps every sample TFB204 is about,
        and the rules do not recognise the batching helper's calls as the passes they were), moved to where the
        edits put their code."""
        current, applied = text, []
        left: List[Finding] = []
        findings, superseded = (self._check(facts, text, ignored_codes) if facts is not None
                                else self._lint_for_fix(current, ignored_codes))
        for _ in range(MAX_FIX_ROUNDS):
            fixable = [f for f in findings if f.fixable(unsafe_fixes)]
            if not fixable:
                break
            updated, used = apply_fixes(current, [f.fix for f in fixable])
            try:
                parse(updated)
            except ParseError as error:
                return FixResult(text, [], self.lint(text, ignored_codes),
                                 error=f"a fix produced invalid code ({error}); file left unchanged")
            if updated == current:
                break
            used_ids = {id(fix) for fix in used}
            fixed_now = [f for f in fixable if id(f.fix) in used_ids]
            applied.extend(fixed_now)
            fixed_keys = {(f.code, f.start, f.anchor) for f in fixed_now}
            left.extend(dropped for dropped, by in superseded if (by.code, by.start, by.anchor) in fixed_keys
                        and dropped.code in RULES_BY_CODE[by.code].fix_leaves)
            left = moved_by_edits(left, current, updated, [edit for fix in used for edit in fix.edits])
            current = updated
            findings, superseded = self._lint_for_fix(current, ignored_codes)
        shown = {(f.code, f.start) for f in findings}
        remaining = findings + [replace(f, fix=None) for f in left if (f.code, f.start) not in shown]
        return FixResult(current, applied, sorted(remaining, key=lambda f: (f.start, f.code)))


def materialise(text: str, findings: List[Finding]) -> List[Finding]:
    """Turn every FixPlan into a Fix with LibCST edits (one LibCST parse for the whole source); a plan whose
    rewrite does not fit the concrete code becomes no fix."""
    if not any(isinstance(f.fix, FixPlan) for f in findings):
        return findings
    try:
        view = CstView(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return [replace(f, fix=None) if isinstance(f.fix, FixPlan) else f for f in findings]
    built = []
    for finding in findings:
        plan = finding.fix
        if isinstance(plan, FixPlan):
            edits = plan.build(view)
            finding = replace(finding, fix=Fix(plan.applicability, plan.message, tuple(edits)) if edits else None)
        built.append(finding)
    return built


def parse(text: str) -> cst.Module:
    """LibCST's parse of a fixed source: every fix result must stay valid concrete syntax."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        message = str(error.message).splitlines()[0] if error.message else "invalid syntax"
        raise ParseError(f"syntax error at line {error.raw_line}, column {error.raw_column + 1}: {message}") from None
    except (RecursionError, ValueError) as error:
        raise ParseError(f"cannot parse: {error}") from None


def _drop_superseded(findings: Iterable[Finding]) -> Tuple[List[Finding], List[Tuple[Finding, Finding]]]:
    """One finding per problem: TFB201 at a call replaces TFB101 at the same call, and so on. Returns the kept
    findings and the (dropped, dropped by) pairs."""
    findings = list(findings)
    superseded: Dict[Tuple[str, object], Finding] = {}
    for finding in findings:
        for code in RULES_BY_CODE[finding.code].supersedes:
            superseded.setdefault((code, finding.anchor), finding)
    kept = [f for f in findings if (f.code, f.anchor) not in superseded]
    return kept, [(f, superseded[f.code, f.anchor]) for f in findings if (f.code, f.anchor) in superseded]


def moved_by_edits(findings: List[Finding], before: str, after: str, edits: Sequence[Edit]) -> List[Finding]:
    """`findings` of `before`, placed where `edits` (which turned it into `after`) moved their code. A position
    inside a replaced span moves to that span's start, or its end for the end of a finding."""
    if not findings:
        return findings
    old_offsets, new_offsets = line_offsets(before), line_offsets(after)
    spans = sorted({(old_offsets[e.start[0] - 1] + e.start[1], old_offsets[e.end[0] - 1] + e.end[1], e.content)
                    for e in edits})

    def move(position: Position, is_end: bool) -> Position:
        point = old_offsets[position[0] - 1] + position[1]
        shift = 0
        for start, end, content in spans:
            if end <= point and not (start == end == point and is_end):
                shift += len(content) - (end - start)
            elif start < point < end:
                point = start + (len(content) if is_end else 0)
                break
        new = point + shift
        row = bisect.bisect_right(new_offsets, new)
        return row, new - new_offsets[row - 1]

    return [replace(f, start=move(f.start, False), end=move(f.end, True),
                    anchor=(move(f.anchor[0], False), move(f.anchor[1], True)) if f.anchor else None)
            for f in findings]


def codes_for(findings: Iterable[Finding]) -> List[Tuple[str, int]]:
    counts: Dict[str, int] = {}
    for finding in findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
