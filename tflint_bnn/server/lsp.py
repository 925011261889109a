"""The pygls server: diagnostics on open, change and save; each fix as a quick fix; "fix all" as `--fix` does it."""

from __future__ import annotations

from typing import Callable, Dict, List, Optional, Sequence, Tuple

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.workspace import TextDocument

from tflint_bnn import __version__
from tflint_bnn.findings import Applicability, Edit, Finding, Position
from tflint_bnn.rules import RULES_BY_CODE
from tflint_bnn.server.check import DocumentCheck, Problem, check_document
from tflint_bnn.server.positions import DEFAULT_ENCODING, PositionMap

SOURCE = "tflint-bnn"
QUICK_FIX = types.CodeActionKind.QuickFix.value
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
EditBuilder = Callable[[List[types.TextEdit]], types.WorkspaceEdit]


class TflintServer(LanguageServer):
    def __init__(self):
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.shutdown_requested = False  # LSP: exit without a shutdown request first ends with status 1
        # Each open document's last check, by URI, with the version it checked. Editors ask for code actions at
        # every cursor move; the check made when the text last changed answers them.
        self.checks: Dict[str, Tuple[int, DocumentCheck]] = {}

    def positions(self, text: str) -> PositionMap:
        encoding = self.workspace.position_encoding  # negotiated by pygls at initialize
        return PositionMap(text, str(getattr(encoding, "value", encoding or DEFAULT_ENCODING)))

    def check(self, document: TextDocument) -> DocumentCheck:
        """The last check of this version; a document the client did not open (read from disk) has no version."""
        version, check = self.checks.get(document.uri, (None, None))
        if check is None or version != document.version:
            check = check_document(document.uri, document.source)
            if document.version is not None:
                self.checks[document.uri] = (document.version, check)
        return check

    def publish(self, uri: str) -> None:
        """Checks again even when the version is the same: on save, the config may be what changed."""
        document = self.workspace.get_text_document(uri)
        self.checks.pop(uri, None)
        check = self.check(document)
        positions = self.positions(document.source)
        diagnostics = [diagnostic(finding, positions) for finding in check.findings]
        if check.problem is not None:
            diagnostics.append(problem_diagnostic(check.problem, positions))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version))


def create_server() -> TflintServer:
    server = TflintServer()
    for event in (types.TEXT_DOCUMENT_DID_OPEN, types.TEXT_DOCUMENT_DID_CHANGE, types.TEXT_DOCUMENT_DID_SAVE):
        server.feature(event)(_republish)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(_clear)
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[QUICK_FIX, FIX_ALL], resolve_provider=False))(code_actions)
    server.feature(types.SHUTDOWN)(_shutdown)
    return server


def _republish(server: TflintServer, params) -> None:
    server.publish(params.text_document.uri)


def _clear(server: TflintServer, params: types.DidCloseTextDocumentParams) -> None:
    """A closed document's findings leave the problems list, as they do in ruff's server."""
    server.checks.pop(params.text_document.uri, None)
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


def _shutdown(server: TflintServer, params) -> None:
    server.shutdown_requested = True


def code_actions(server: TflintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
    """Quick fixes for the findings in the range, then "fix all", from the check of the document's current text
    (not from the diagnostics the request carries: the client's may be older than its text)."""
    document = server.workspace.get_text_document(params.text_document.uri)
    text = document.source
    check = server.check(document)
    positions = server.positions(text)
    target = types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
    edit_for = _edit_builder(server, target)
    actions = []
    if _wanted(QUICK_FIX, params.context.only):
        for finding in check.findings:
            found = diagnostic(finding, positions)
            if finding.fix is not None and _overlaps(found.range, params.range):
                edits = [text_edit(edit, positions) for edit in finding.fix.edits]
                actions.append(quick_fix(finding, found, edit_for(edits)))
    if _wanted(FIX_ALL, params.context.only):
        fix_all = _fix_all(check, text, positions, edit_for)
        if fix_all is not None:
            actions.append(fix_all)
    return actions


def diagnostic(finding: Finding, positions: PositionMap) -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(finding.start, finding.end, positions), message=finding.message,
        severity=types.DiagnosticSeverity.Warning, code=finding.code, source=SOURCE,
        code_description=types.CodeDescription(href=RULES_BY_CODE[finding.code].url()))


def problem_diagnostic(problem: Problem, positions: PositionMap) -> types.Diagnostic:
    """Over the whole line the problem names: a syntax error's column is not always in characters."""
    return types.Diagnostic(range=lsp_range((problem.row, 0), (problem.row + 1, 0), positions),
                            message=problem.message, severity=types.DiagnosticSeverity.Error, source=SOURCE)


def quick_fix(finding: Finding, found: types.Diagnostic, edit: types.WorkspaceEdit) -> types.CodeAction:
    """Titled like ruff's; an unsafe fix says so first, where a narrow menu still shows it, and is never preferred
    (some editors apply a preferred quick fix without showing the menu)."""
    fix = finding.fix
    safe = fix.applicability is Applicability.SAFE
    label = finding.code if safe else f"{finding.code} (unsafe)"
    return types.CodeAction(title=f"{label}: {fix.message}", kind=QUICK_FIX,
                            diagnostics=[found], is_preferred=safe, edit=edit)


def _fix_all(check: DocumentCheck, text: str, positions: PositionMap,
             edit_for: EditBuilder) -> Optional[types.CodeAction]:
    """One edit that replaces the whole text with what `--fix` writes: the fix loop may run several rounds, and
    each round's edits are relative to the previous round's text, so they cannot be sent as separate edits."""
    result = check.fix_all(text)
    if result is None:
        return None
    whole = types.Range(start=types.Position(line=0, character=0), end=_position(positions.end()))
    which = "safe and unsafe" if check.settings.unsafe_fixes else "safe"  # as `unsafe-fixes = true` makes --fix
    return types.CodeAction(title=f"Fix all {which} tflint-bnn problems", kind=FIX_ALL,
                            edit=edit_for([types.TextEdit(range=whole, new_text=result.text)]))


def _edit_builder(server: TflintServer, target: types.OptionalVersionedTextDocumentIdentifier) -> EditBuilder:
    """Versioned `documentChanges` where the client takes them (it then rejects an edit made for an older text);
    the plain `changes` map otherwise."""
    versioned = get_capability(server.client_capabilities, "workspace.workspace_edit.document_changes", False)

    def build(edits: List[types.TextEdit]) -> types.WorkspaceEdit:
        if versioned:
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=target, edits=edits)])
        return types.WorkspaceEdit(changes={target.uri: edits})

    return build


def text_edit(edit: Edit, positions: PositionMap) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(edit.start, edit.end, positions), new_text=edit.content)


def lsp_range(start: Position, end: Position, positions: PositionMap) -> types.Range:
    return types.Range(start=_position(positions.to_lsp(start)), end=_position(positions.to_lsp(end)))


def _position(position) -> types.Position:
    line, character = position
    return types.Position(line=line, character=character)


def _overlaps(one: types.Range, other: types.Range) -> bool:
    """Touching counts: a cursor (an empty range) at either end of a finding gets its fixes."""
    def key(position: types.Position):
        return position.line, position.character

    return key(one.start) <= key(other.end) and key(other.start) <= key(one.end)


def _wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """LSP's `only` filter: a kind is wanted when it is, or is below, one of the kinds asked for."""
    asked = [str(getattr(requested, "value", requested)) for requested in only or ()]  # enums or plain strings
    return not asked or any(kind == prefix or kind.startswith(f"{prefix}.") for prefix in asked)
