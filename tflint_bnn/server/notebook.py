"""LSP 3.17 notebook documents: a notebook open in the editor is checked as the CLI checks its file (the code cells
joined into one module, IPython lines masked), and each finding is shown on its cell, with its quick fixes as edits
to the cells they change (the batching helper goes to the imports cell), as ruff's server does.

pygls keeps the notebook and its cells' texts in the workspace (notebookDocument/didOpen, didChange, didClose);
this module reads them, and `lsp.py` sends cell URIs here.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Tuple

from lsprotocol import types

from tflint_bnn.findings import Edit, Finding
from tflint_bnn.fixes.edits import split_lines
from tflint_bnn.notebooks import (Notebook, NotebookFixError, ParsedCell, ParsedNotebook, build_notebook, name_rows,
                                  place_edit, place_finding, split_cells)
from tflint_bnn.server.check import DocumentCheck, Problem, check_document, path_of
from tflint_bnn.server.positions import PositionMap

# Every notebook type, for its Python cells (VS Code's Jupyter notebooks are "jupyter-notebook").
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[types.NotebookDocumentFilterWithCells(cells=[types.NotebookCellLanguage(language="python")])],
    save=True)


@dataclass
class NotebookCheck:
    """One check of a notebook's cells as they were: the joined module, the findings placed in cells."""

    notebook: Notebook
    check: DocumentCheck
    cell_uris: Dict[int, str]  # cell number (1-based over all cells) -> the cell's text document URI
    cell_texts: Dict[int, str]
    findings: List[Finding] = field(default_factory=list)  # rows counted inside `finding.cell`
    problem: Optional[Tuple[int, Problem]] = None  # (cell, problem with its row inside that cell)

    def of_cell(self, uri: str) -> List[Finding]:
        number = next((n for n, cell_uri in self.cell_uris.items() if cell_uri == uri), None)
        return [finding for finding in self.findings if finding.cell == number]


def notebook_state(workspace, notebook_uri: str) -> Tuple[str, Dict[int, str], Dict[int, str], List[ParsedCell]]:
    """(key of the cells' texts, URIs and texts by cell number, the cells as the notebook reader takes them)."""
    document = workspace.get_notebook_document(notebook_uri=notebook_uri)
    uris, texts, cells = {}, {}, []
    digest = hashlib.sha256()
    for number, cell in enumerate(document.cells if document else [], start=1):
        text_document = workspace.get_text_document(cell.document)
        is_python = cell.kind == types.NotebookCellKind.Code and text_document.language_id in (None, "python")
        uris[number], texts[number] = cell.document, text_document.source
        cells.append(ParsedCell("code" if is_python else "markdown", text_document.source, None))
        digest.update(f"{number}\0{cell.kind}\0{len(text_document.source)}\0".encode())
        digest.update(text_document.source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest(), uris, texts, cells


def check_notebook(notebook_uri: str, key: str, uris: Dict[int, str], texts: Dict[int, str],
                   cells: List[ParsedCell]) -> NotebookCheck:
    """Runs on the check thread: the notebook's joined cells through the same check as any open document."""
    path = path_of(notebook_uri)
    notebook = build_notebook(path, ParsedNotebook(4, None, cells), key)
    check = check_document(notebook_uri, notebook.text)
    result = NotebookCheck(notebook, check, uris, texts, [place_finding(f, notebook) for f in check.findings])
    if check.problem is not None:
        cell, row = notebook.locate(check.problem.row) if notebook.cells else (1, 1)
        result.problem = (cell, Problem(name_rows(check.problem.message, notebook, "line "), max(row, 1)))
    return result


class NotebookChecks:
    """The latest check of each open notebook, shared by its diagnostics and its code actions."""

    def __init__(self, server):
        self.server = server
        self.latest: Dict[str, Tuple[str, asyncio.Future]] = {}

    def check(self, notebook_uri: str) -> asyncio.Future:
        key, uris, texts, cells = notebook_state(self.server.workspace, notebook_uri)
        latest = self.latest.get(notebook_uri)
        if latest is not None and latest[0] == key:
            return latest[1]
        future = self.server.in_thread(check_notebook, notebook_uri, key, uris, texts, cells)
        self.latest[notebook_uri] = (key, future)
        return future

    async def publish(self, notebook_uri: str) -> None:
        from tflint_bnn.server.lsp import diagnostic, problem_diagnostic

        result: NotebookCheck = await asyncio.shield(self.check(notebook_uri))
        if self.latest.get(notebook_uri, (None,))[0] != notebook_state(self.server.workspace, notebook_uri)[0]:
            return  # the cells changed meanwhile: the newer check publishes
        for number, uri in result.cell_uris.items():
            positions = self.server.positions(result.cell_texts[number])
            shown = [diagnostic(finding, positions) for finding in result.findings if finding.cell == number]
            if result.problem is not None and result.problem[0] == number:
                shown.append(problem_diagnostic(result.problem[1], positions))
            shown += [problem_diagnostic(Problem(message, row), positions)  # a cell left out: it does not parse
                      for cell, row, message in result.notebook.broken if cell == number]
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=shown))

    def close(self, notebook_uri: str, cell_uris: List[str]) -> None:
        self.latest.pop(notebook_uri, None)
        for uri in cell_uris:
            self.server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


async def cell_code_actions(server, notebook_uri: str, params: types.CodeActionParams) -> List[types.CodeAction]:
    """Quick fixes for the findings of the cell in the range, each an edit of every cell it changes; "disable for
    this line" on the cell's line; "fix all" as one replacement of each changed cell."""
    from tflint_bnn.server.lsp import (FIX_ALL, QUICK_FIX, _overlaps, _wanted, diagnostic, quick_fix, text_edit)
    from tflint_bnn.server.suppress import noqa_edit

    result: NotebookCheck = await asyncio.shield(server.notebooks.check(notebook_uri))
    uri = params.text_document.uri
    numbers = {cell_uri: number for number, cell_uri in result.cell_uris.items()}
    number = numbers.get(uri)
    if number is None:
        return []
    positions = {n: server.positions(text) for n, text in result.cell_texts.items()}
    actions: List[types.CodeAction] = []
    if _wanted(QUICK_FIX, params.context.only):
        in_range = [(finding, diagnostic(finding, positions[number])) for finding in result.of_cell(uri)]
        in_range = [(finding, shown) for finding, shown in in_range if _overlaps(shown.range, params.range)]
        for finding, shown in in_range:
            if finding.fix is not None:
                edits: Dict[str, List[types.TextEdit]] = {}
                for edit in finding.fix.edits:
                    cell = edit.cell or number
                    edit = _at_cell_end(edit, result.cell_texts[cell])
                    edits.setdefault(result.cell_uris[cell], []).append(text_edit(edit, positions[cell]))
                actions.append(quick_fix(finding, shown, _workspace_edit(server, edits)))
        for finding, shown in in_range:
            # On the joined text, where IPython lines are masked: a cell holding `!ls` does not parse alone.
            edit = noqa_edit(result.notebook.text, result.notebook.joined_row(number, finding.start[0]), finding.code)
            if edit is not None:
                edit = place_edit(edit, result.notebook)
                actions.append(types.CodeAction(
                    title=f"{finding.code}: Disable for this line", kind=QUICK_FIX, diagnostics=[shown],
                    is_preferred=False, edit=_workspace_edit(server, {uri: [text_edit(edit, positions[number])]})))
    if _wanted(FIX_ALL, params.context.only) and result.check.problem is None:
        fixed = await server.in_thread(result.check.fix_all, result.notebook.text)
        changes = _fixed_cells(result, fixed.text) if fixed is not None else {}
        if changes:
            which = "safe and unsafe" if result.check.settings.unsafe_fixes else "safe"
            edits = {result.cell_uris[n]: [types.TextEdit(range=_whole(positions[n]), new_text=text)]
                     for n, text in changes.items()}
            actions.append(types.CodeAction(title=f"Fix all {which} tflint-bnn problems", kind=FIX_ALL,
                                            edit=_workspace_edit(server, edits)))
    return actions


def _at_cell_end(edit: Edit, text: str) -> Edit:
    """An insertion after a cell's last line: in the joined module that line ends with a newline, in the cell
    (as Jupyter keeps it) it may not, so the text goes after a newline of its own and ends without one, as
    `--fix` writes the cell."""
    last_row = len(split_lines(text))
    if edit.start != (last_row + 1, 0) or edit.start != edit.end or text.endswith(("\n", "\r")):
        return edit
    return replace(edit, start=(last_row, len(split_lines(text)[-1])), end=(last_row, len(split_lines(text)[-1])),
                   content="\n" + edit.content.rstrip("\r\n"))


def _fixed_cells(result: NotebookCheck, fixed_text: str) -> Dict[int, str]:
    try:
        sources = split_cells(result.notebook, fixed_text)
    except NotebookFixError:
        return {}
    return {cell.number: source for cell, source in zip(result.notebook.cells, sources)
            if source != result.cell_texts[cell.number]}


def _whole(positions: PositionMap) -> types.Range:
    line, character = positions.end()
    return types.Range(start=types.Position(line=0, character=0), end=types.Position(line=line, character=character))


def _workspace_edit(server, edits: Dict[str, List[types.TextEdit]]) -> types.WorkspaceEdit:
    from pygls.capabilities import get_capability

    if get_capability(server.client_capabilities, "workspace.workspace_edit.document_changes", False):
        return types.WorkspaceEdit(document_changes=[
            types.TextDocumentEdit(text_document=types.OptionalVersionedTextDocumentIdentifier(
                uri=uri, version=server.workspace.get_text_document(uri).version), edits=cell_edits)
            for uri, cell_edits in edits.items()])
    return types.WorkspaceEdit(changes=edits)


def register(server) -> None:
    """The notebookDocument/* handlers (pygls has updated its workspace when they run)."""
    server.notebooks = NotebookChecks(server)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def _opened(ls, params: types.DidOpenNotebookDocumentParams) -> None:
        await ls.notebooks.publish(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def _changed(ls, params: types.DidChangeNotebookDocumentParams) -> None:
        from tflint_bnn.server.lsp import DEBOUNCE_S

        uri = params.notebook_document.uri
        await asyncio.sleep(DEBOUNCE_S)
        document = ls.workspace.get_notebook_document(notebook_uri=uri)
        if document is not None and document.version == params.notebook_document.version:
            await ls.notebooks.publish(uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def _saved(ls, params: types.DidSaveNotebookDocumentParams) -> None:
        ls.notebooks.latest.pop(params.notebook_document.uri, None)  # the config may be what changed
        await ls.notebooks.publish(params.notebook_document.uri)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def _closed(ls, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.notebooks.close(params.notebook_document.uri, [cell.uri for cell in params.cell_text_documents])


def notebook_of_cell(server, uri: str) -> Optional[str]:
    document = server.workspace.get_notebook_document(cell_uri=uri)
    return document.uri if document is not None else None


__all__ = ["NOTEBOOK_SYNC", "cell_code_actions", "notebook_of_cell", "register"]
