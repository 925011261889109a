"""The pygls server: diagnostics on open, change and save; each fix as a quick fix, and a `# noqa` for each finding;
"fix all" as `--fix` does it.

Checks run off the event loop, one at a time, on a worker thread: LibCST analysis of a large module takes a second
or more, and meanwhile the server must keep reading the client's messages (a newer text, a cancellation). Only the
event loop touches `checks` and publishes, so neither needs a lock.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcContentModified
from pygls.lsp.server import LanguageServer

from tflint_bnn import __version__
from tflint_bnn.engine import FixResult
from tflint_bnn.findings import Applicability, Edit, Finding, Position
from tflint_bnn.rules import RULES_BY_CODE
from tflint_bnn.server.check import DocumentCheck, Problem, check_document
from tflint_bnn.server.notebook import NOTEBOOK_SYNC, cell_code_actions, notebook_of_cell, register
from tflint_bnn.server.positions import DEFAULT_ENCODING, PositionMap
from tflint_bnn.server.suppress import noqa_edit

SOURCE = "tflint-bnn"
QUICK_FIX = types.CodeActionKind.QuickFix.value
FIX_ALL = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
# Editors send a change per keystroke: a change is checked once no newer one has come for this long.
DEBOUNCE_S = 0.3
EditBuilder = Callable[[List[types.TextEdit]], types.WorkspaceEdit]


class Superseded(Exception):
    """A newer text of the document replaced this one before the work on it was done."""


@dataclass
class Snapshot:
    """One text of a document, its check (under way until the future is done), and what `--fix` makes of it (once
    a client asks for "fix all": the fix loop lints the text again, round after round)."""

    version: Optional[int]  # None for a document the client did not open (read from disk)
    text: str
    check: asyncio.Future[DocumentCheck]
    fixed: Optional[asyncio.Future[Optional[FixResult]]] = None

    def of(self, version: Optional[int], text: str) -> bool:
        return self.version == version and self.text == text

    def cancel(self) -> None:
        """Work for a text that is gone: dropped if not started yet, else finished and never read."""
        for future in (self.check, self.fixed):
            if future is not None:
                future.cancel()


class TflintServer(LanguageServer):
    def __init__(self):
        super().__init__(SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full,
                         notebook_document_sync=NOTEBOOK_SYNC)
        self.shutdown_requested = False  # LSP: exit without a shutdown request first ends with status 1
        # Each open document's latest snapshot, by URI. Editors ask for code actions at every cursor move, and the
        # diagnostics of a change need the same check: all of them share the one of the current text.
        self.checks: Dict[str, Snapshot] = {}
        # One worker: a check is pure Python, so two at once would only take turns under the GIL, while a queue lets
        # the check of a text that changed meanwhile be cancelled before it starts. (Not a daemon thread: LibCST's
        # native parser aborts the process if the interpreter finalizes under it. So `exit` waits for the check
        # under way, if any, as it did when checks ran on the event loop.)
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tflint-bnn-check")

    def positions(self, text: str) -> PositionMap:
        encoding = self.workspace.position_encoding  # negotiated by pygls at initialize
        return PositionMap(text, str(getattr(encoding, "value", encoding or DEFAULT_ENCODING)))

    def in_thread(self, function: Callable, *args) -> asyncio.Future:
        return asyncio.get_running_loop().run_in_executor(self.checker, function, *args)

    def snapshot(self, uri: str, version: Optional[int], text: str, recheck: bool = False) -> Snapshot:
        """The latest snapshot if it is of this text, else a new one with its check started (with `recheck`, a new
        one in any case: on save, the config may be what changed). A new text cancels the older text's work."""
        latest = self.checks.get(uri)
        if latest is not None and latest.of(version, text) and not recheck:
            return latest
        if latest is not None and not latest.of(version, text):
            latest.cancel()
        snapshot = Snapshot(version, text, self.in_thread(check_document, uri, text))
        if version is not None:  # a document the client did not open gets no updates: nothing to keep
            self.checks[uri] = snapshot
        return snapshot

    def fixed(self, snapshot: Snapshot, check: DocumentCheck) -> asyncio.Future[Optional[FixResult]]:
        if snapshot.fixed is None:
            snapshot.fixed = self.in_thread(check.fix_all, snapshot.text)
        return snapshot.fixed

    def is_current(self, uri: str, version: Optional[int], text: str) -> bool:
        """Whether this is the open document's text now (a closed document has no version)."""
        document = self.workspace.get_text_document(uri)
        return version is not None and document.version == version and document.source == text

    async def publish(self, uri: str, recheck: bool = False) -> None:
        """The diagnostics of the current text, unless it changes before they are ready: then the newer text's
        check publishes, so a client never gets an older version's diagnostics after a newer one's."""
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        try:
            check = await _result(self.snapshot(uri, version, text, recheck).check)
        except Superseded:
            return
        if not self.is_current(uri, version, text):
            return
        positions = self.positions(text)
        diagnostics = [diagnostic(finding, positions) for finding in check.findings]
        if check.problem is not None:
            diagnostics.append(problem_diagnostic(check.problem, positions))
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))

    def forget(self, uri: str) -> None:
        snapshot = self.checks.pop(uri, None)
        if snapshot is not None:
            snapshot.cancel()


async def _result(future: asyncio.Future):
    """The future's result, or Superseded if a newer text cancelled it. Shielded: a request that the client
    cancels must not cancel a check that others wait for too."""
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        if future.cancelled():
            raise Superseded from None
        raise


def create_server() -> TflintServer:
    server = TflintServer()
    server.feature(types.TEXT_DOCUMENT_DID_OPEN)(_opened)
    server.feature(types.TEXT_DOCUMENT_DID_CHANGE)(_changed)
    server.feature(types.TEXT_DOCUMENT_DID_SAVE)(_saved)
    server.feature(types.TEXT_DOCUMENT_DID_CLOSE)(_clear)
    server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[QUICK_FIX, FIX_ALL], resolve_provider=False))(code_actions)
    server.feature(types.SHUTDOWN)(_shutdown)
    register(server)  # notebook documents (LSP 3.17)
    return server


async def _opened(server: TflintServer, params: types.DidOpenTextDocumentParams) -> None:
    await server.publish(params.text_document.uri)


async def _changed(server: TflintServer, params: types.DidChangeTextDocumentParams) -> None:
    """Checked once the typing pauses: a newer change within DEBOUNCE_S makes this one's check unneeded."""
    uri = params.text_document.uri
    await asyncio.sleep(DEBOUNCE_S)
    # The params' version, not the document's: a later change may have been applied before this handler started.
    if server.workspace.get_text_document(uri).version == params.text_document.version:
        await server.publish(uri)


async def _saved(server: TflintServer, params: types.DidSaveTextDocumentParams) -> None:
    await server.publish(params.text_document.uri, recheck=True)


def _clear(server: TflintServer, params: types.DidCloseTextDocumentParams) -> None:
    """A closed document's findings leave the problems list, as they do in ruff's server."""
    server.forget(params.text_document.uri)
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


def _shutdown(server: TflintServer, params) -> None:
    server.shutdown_requested = True


async def code_actions(server: TflintServer, params: types.CodeActionParams) -> List[types.CodeAction]:
    """Quick fixes for the findings in the range, then "fix all", from the check of the document's current text
    (not from the diagnostics the request carries: the client's may be older than its text)."""
    uri = params.text_document.uri
    notebook = notebook_of_cell(server, uri)
    if notebook is not None:  # a cell: its notebook is checked as one module
        return await cell_code_actions(server, notebook, params)
    document = server.workspace.get_text_document(uri)
    version, text = document.version, document.source  # now: the document may change while this waits
    snapshot = server.snapshot(uri, version, text)
    positions = server.positions(text)
    edit_for = _edit_builder(server, types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version))
    actions = []
    try:
        check = await _result(snapshot.check)
        if _wanted(QUICK_FIX, params.context.only):
            # On the check thread too: making sure a `# noqa` edit works parses the whole text again.
            actions += await server.in_thread(_quick_fixes, check, text, params.range, positions, edit_for)
        if _wanted(FIX_ALL, params.context.only):
            fixed = await _result(server.fixed(snapshot, check))
            if fixed is not None:
                actions.append(_fix_all(fixed, check, positions, edit_for))
    except Superseded:
        raise JsonRpcContentModified("the document changed before its check was done") from None
    return actions


def _quick_fixes(check: DocumentCheck, text: str, wanted: types.Range, positions: PositionMap,
                 edit_for: EditBuilder) -> List[types.CodeAction]:
    """Each fix of a finding in the range, then each "disable for this line"."""
    shown = [(finding, diagnostic(finding, positions)) for finding in check.findings]
    in_range = [(finding, found) for finding, found in shown if _overlaps(found.range, wanted)]
    fixes = [quick_fix(finding, found, edit_for([text_edit(edit, positions) for edit in finding.fix.edits]))
             for finding, found in in_range if finding.fix is not None]
    return fixes + _noqa_actions(in_range, text, positions, edit_for)


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


def _noqa_actions(in_range: List[Tuple[Finding, types.Diagnostic]], text: str, positions: PositionMap,
                  edit_for: EditBuilder) -> List[types.CodeAction]:
    """One "disable" per code and line (two findings of one code on a line take one comment), for findings with a
    fix or without. Not preferred: suppressing is never the fix an editor should apply unasked."""
    found_by_line: Dict[Tuple[int, str], List[types.Diagnostic]] = {}
    for finding, found in in_range:
        found_by_line.setdefault((finding.start[0], finding.code), []).append(found)
    actions = []
    for (row, code), found in found_by_line.items():
        edit = noqa_edit(text, row, code)
        if edit is not None:
            actions.append(types.CodeAction(title=f"{code}: Disable for this line", kind=QUICK_FIX, diagnostics=found,
                                            is_preferred=False, edit=edit_for([text_edit(edit, positions)])))
    return actions


def _fix_all(fixed: FixResult, check: DocumentCheck, positions: PositionMap,
             edit_for: EditBuilder) -> types.CodeAction:
    """One edit that replaces the whole text with what `--fix` writes: the fix loop may run several rounds, and
    each round's edits are relative to the previous round's text, so they cannot be sent as separate edits."""
    whole = types.Range(start=types.Position(line=0, character=0), end=_position(positions.end()))
    which = "safe and unsafe" if check.settings.unsafe_fixes else "safe"  # as `unsafe-fixes = true` makes --fix
    return types.CodeAction(title=f"Fix all {which} tflint-bnn problems", kind=FIX_ALL,
                            edit=edit_for([types.TextEdit(range=whole, new_text=fixed.text)]))


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
