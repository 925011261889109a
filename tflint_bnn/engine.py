"""The path of one source: prefilter, parse, analysis, rules, suppressions, and the fix loop."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, List, Optional, Sequence, Tuple

import libcst as cst

from tflint_bnn.analysis import ModuleAnalysis
from tflint_bnn.analysis.foreign import ProjectImports
from tflint_bnn.findings import Finding
from tflint_bnn.fixes.edits import apply_fixes
from tflint_bnn.noqa import parse_suppressions
from tflint_bnn.rules import ALL_RULES, RULES_BY_CODE
from tflint_bnn.settings import Settings
from tflint_bnn.triage import AstFacts, ast_facts

# A module that never names TensorFlow, Keras or TFP cannot hold a finding: skip it before parsing (TorchFix does
# the same), because LibCST parsing costs about 15x CPython's parser.
_PREFILTER = re.compile(r"\b(?:tensorflow|keras|tf_keras|tensorflow_probability)\b")
MAX_FIX_ROUNDS = 10
# A module over 1 MiB that triage cannot rule out is reported, not analysed: LibCST metadata is linear but slow
# (a 0.4 MB module of small model-calling functions took over 2 minutes), so a 10 MB one would hold the run for an
# hour. Such files are almost always generated; the largest file of the benchmark corpus is 0.45 MB.
MAX_ANALYSED_CHARS = 1024 * 1024


class ParseError(Exception):
    """The source is not valid Python: one line, without the path."""


@dataclass
class FixResult:
    text: str
    applied: List[Finding] = field(default_factory=list)
    remaining: List[Finding] = field(default_factory=list)
    error: Optional[str] = None  # set when a fix produced invalid code: nothing was changed


class Linter:
    def __init__(self, settings: Settings, *, triage: bool = True, imports: Optional[ProjectImports] = None):
        self.settings = settings
        self.rules = [rule(settings) for rule in ALL_RULES if settings.is_enabled(rule.code, rule.default_enabled)]
        self.triage = triage
        self.imports = imports  # cross-file: what this file may call in the other linted files

    def might_have_findings(self, text: str) -> bool:
        return bool(self.rules) and _PREFILTER.search(text) is not None

    def lint(self, text: str, ignored_codes: Sequence[str] = (), tree: Optional[ast.AST] = None,
             line_noqa: bool = True) -> List[Finding]:
        """`tree`: `ast.parse(text)` when the caller has it already (flake8 does), so triage does not parse again.
        `line_noqa=False` leaves `# noqa` comments on lines to the caller (flake8 applies its own, and its
        `--disable-noqa` turns them off); the file-level `# tflint-bnn: noqa` always applies."""
        if not self.might_have_findings(text):
            return []
        rules = self.rules
        if self.triage:
            facts = _facts(text, tree)
            if self.imports is not None:
                facts = replace(facts, imported_model_uses=self.imports.repeats_called(facts.called))
            rules = [rule for rule in rules if rule.may_apply(facts)]
            if not rules:
                return []
        if len(text) > MAX_ANALYSED_CHARS:
            raise ParseError(f"is {len(text) / 1e6:.1f} MB, over the {MAX_ANALYSED_CHARS // 2 ** 20} MB limit for the "
                             "detailed analysis; not checked (exclude it, or split it)")
        module = parse(text)
        suppressions = parse_suppressions(text)
        if suppressions.file_exempt:
            return []
        analysis = ModuleAnalysis(module, assume_loaded_arrays_large=self.settings.assume_loaded_arrays_large,
                                  imports=self.imports)
        findings = [finding for rule in rules for finding in rule.check(analysis)]
        findings = _drop_superseded(findings)
        # Findings in other files keep their own file's suppressions: the caller of check_files applies them.
        own = sorted((f for f in findings if f.path is None and f.code not in ignored_codes
                      and not (line_noqa and suppressions.suppresses(f.start[0], f.code))),
                     key=lambda f: (f.start, f.code))
        return own + sorted((f for f in findings if f.path is not None), key=lambda f: (f.path, f.start, f.code))

    def fix(self, text: str, unsafe_fixes: bool, ignored_codes: Sequence[str] = ()) -> FixResult:
        """Apply fixes until none applies (bounded); all or nothing if any round stops parsing."""
        current, applied = text, []
        findings = self.lint(current, ignored_codes)
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
            applied.extend(f for f in fixable if id(f.fix) in used_ids)
            current = updated
            findings = self.lint(current, ignored_codes)
        return FixResult(current, applied, findings)


def _facts(text: str, tree: Optional[ast.AST]) -> AstFacts:
    try:
        return ast_facts(text, tree)
    except SyntaxError as error:
        raise ParseError(f"syntax error at line {error.lineno}, column {(error.offset or 0)}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise ParseError(f"cannot parse: {error}") from None


def parse(text: str) -> cst.Module:
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        message = str(error.message).splitlines()[0] if error.message else "invalid syntax"
        raise ParseError(f"syntax error at line {error.raw_line}, column {error.raw_column + 1}: {message}") from None
    except (RecursionError, ValueError) as error:
        raise ParseError(f"cannot parse: {error}") from None


def _drop_superseded(findings: Iterable[Finding]) -> List[Finding]:
    """One finding per problem: TFB201 at a call replaces TFB101 at the same call, and so on."""
    findings = list(findings)
    superseded: set = set()
    for finding in findings:
        for code in RULES_BY_CODE[finding.code].supersedes:
            superseded.add((code, finding.path, finding.anchor))
    return [f for f in findings if (f.code, f.path, f.anchor) not in superseded]


def codes_for(findings: Iterable[Finding]) -> List[Tuple[str, int]]:
    counts: dict = {}
    for finding in findings:
        counts[finding.code] = counts.get(finding.code, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
