"""Jupyter notebooks as sources: the code cells, in order, read as one Python module.

A notebook's state flows from cell to cell (data loaded in one, the model built in another, sampled in a third),
so its code cells are joined into one module (the "joined text") and linted like a `.py` file. Between two cells
the joined text holds one marker comment, so after a fix the text splits back into cells exactly.

IPython syntax (`%magic`, `!shell`, `x = !cmd`, `obj?`, a `%%time` first line) is masked so the rest parses: the
line becomes a comment (or `pass` where a statement is needed), tagged so that a fix can never change it and
writing puts the original back. Cells whose cell magic runs another language (`%%bash`, `%%writefile`) are left
out, and a notebook whose kernel is not Python is skipped with a note.

Reading and writing use `json` rather than nbformat: nbformat rewrites the whole file with its own indentation
and key order (sorted keys, one space), which would change every Colab notebook (two spaces, nbformat's keys
first) beyond the fixed lines. Here a fix replaces the bytes of the edited cells' `source` values and nothing
else; the JSON is walked with the C scanner, and only the values a lint needs are kept (outputs are skipped).
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from tflint_bnn.files import SourceError, SourceFile, read_file_bytes, write_source
from tflint_bnn.findings import Edit, Finding, Fix
from tflint_bnn.fixes.edits import split_lines

NOTEBOOK_SUFFIX = ".ipynb"

# Cell magics whose body is Python run in the kernel (ruff's list); any other `%%name` cell is another language.
PYTHON_CELL_MAGICS = frozenset({"capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit"})


class NotebookFixError(Exception):
    """A fixed joined text that cannot be put back into the cells; the notebook is left as it was."""


def is_notebook(path: Path) -> bool:
    return path.name.endswith(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class CellSpan:
    """One code cell of the joined text: its 1-based number among all the notebook's cells, the joined row of its
    first line, and how many lines it has."""

    number: int
    first_row: int
    rows: int


@dataclass(frozen=True)
class Mask:
    """An IPython line replaced so the cell parses: the replacement as it stands in the joined text (without its
    indentation) and the line the cell really holds."""

    masked: str
    original: str


@dataclass(frozen=True)
class Notebook:
    """A notebook read for linting: `text` is the joined module; `note` says why it is skipped (no text then)."""

    path: Path
    text: str
    cells: Tuple[CellSpan, ...]
    sources: Tuple[str, ...]  # each code cell's source as the file holds it (joined), in the order of `cells`
    masks: Tuple[Mask, ...]
    marker: str  # the prefix of the lines between cells
    digest: str  # sha256 of the file's bytes, so a write never replaces a notebook that changed meanwhile
    encoding: str = "utf-8"
    note: Optional[str] = None
    # Cells that do not parse (cell number, row in it, message): left out as comments, so the rest is checked
    broken: Tuple[Tuple[int, int, str], ...] = ()

    def joined_row(self, cell_number: int, row: int) -> int:
        """The joined row of a cell's row (the inverse of `locate`)."""
        cell = next(cell for cell in self.cells if cell.number == cell_number)
        return cell.first_row + row - 1

    def locate(self, row: int) -> Tuple[int, int]:
        """The cell number and the row inside that cell of a joined row. A marker row (where a fix inserts text
        at the end of a cell) counts as the row after its previous cell's last."""
        for cell in reversed(self.cells):
            if row >= cell.first_row or cell is self.cells[0]:
                return cell.number, row - cell.first_row + 1
        return 1, row


def shell_lines(source: object) -> Tuple[str, ...]:
    """The IPython lines a notebook's cells hold as written (`!pip install tensorflow==2.3`); none for a .py file."""
    return tuple(mask.original for mask in source.masks) if isinstance(source, Notebook) else ()


# ---- reading ------------------------------------------------------------------------------------------------


def read_notebook(path: Path) -> Notebook:
    """The notebook at `path`; raises SourceError with one line saying why it cannot be read as one."""
    data = read_file_bytes(path)
    text = decode_notebook(data)
    parsed = parse_notebook(text)
    return build_notebook(path, parsed, hashlib.sha256(data).hexdigest(),
                          "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")


def decode_notebook(data: bytes) -> str:
    if not data.strip():
        raise SourceError("is empty; not a notebook (a notebook is a JSON object)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SourceError(f"not valid UTF-8 (as a notebook must be): byte {error.start} cannot be decoded") from None


@dataclass
class ParsedCell:
    cell_type: Optional[str]
    source: object  # a list of strings or a string, as the file holds it; None when missing
    source_span: Optional[Tuple[int, int]]  # offsets of the `source` value in the file's text


@dataclass
class ParsedNotebook:
    nbformat: object
    language: Optional[str]
    cells: List[ParsedCell]


_DECODER = json.JSONDecoder()
_SCAN = _DECODER.scan_once  # the C scanner: one value from an offset, with the offset after it
_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _BadJson(Exception):
    def __init__(self, offset: int, message: str):
        super().__init__(message)
        self.offset = offset


def parse_notebook(text: str) -> ParsedNotebook:
    """The parts of the notebook a lint needs, with the offsets of each cell's source; raises SourceError."""
    try:
        top = _Walker(text).notebook()
    except _BadJson as error:
        row = text.count("\n", 0, error.offset) + 1
        column = error.offset - (text.rfind("\n", 0, error.offset) + 1) + 1
        raise SourceError(f"not a notebook: invalid JSON at line {row}, column {column}: {error}") from None
    return top


class _Walker:
    """Walks the notebook's JSON text, decoding what a lint needs and skipping (with the C scanner) the rest."""

    def __init__(self, text: str):
        self.text = text

    def notebook(self) -> ParsedNotebook:
        text = self.text
        start = self._skip_space(0)
        if not text.startswith("{", start):
            self._value(start)  # a JSON error, if the text is not JSON at all
            raise SourceError("not a notebook: the JSON is not an object")
        fields: Dict[str, object] = {}
        cells: List[Optional[List[ParsedCell]]] = [None]

        def visit(key: str, value_start: int) -> int:
            if key == "cells":
                cells[0], end = self._cells(value_start)
                return end
            if key in ("nbformat", "metadata", "worksheets"):
                fields[key], end = self._value(value_start)
                return end
            return self._skip(value_start)

        tail = self._skip_space(self._members(start, visit))
        if tail != len(text):
            raise _BadJson(tail, "extra data after the notebook")
        version = fields.get("nbformat")
        if "worksheets" in fields or (isinstance(version, int) and version < 4):
            raise SourceError(f"nbformat {version} notebook; only nbformat 4 is read (convert it with "
                              "`jupyter nbconvert --to notebook --inplace`)")
        if cells[0] is None or not isinstance(version, int):
            raise SourceError("not a notebook: no `cells` list or `nbformat` number")
        metadata = fields.get("metadata")
        return ParsedNotebook(version, _kernel_language(metadata if isinstance(metadata, dict) else {}), cells[0])

    def _members(self, start: int, visit) -> int:
        """Calls `visit(key, offset of the value)` for each member of the object at `start`; `visit` returns the
        offset after the value. Returns the offset after the object."""
        text = self.text
        index = self._skip_space(start + 1)
        if text.startswith("}", index):
            return index + 1
        while True:
            if not text.startswith('"', index):
                raise _BadJson(index, "expected a property name in double quotes")
            try:
                key, index = json.decoder.scanstring(text, index + 1)
            except json.JSONDecodeError as error:
                raise _BadJson(error.pos, error.msg) from None
            index = self._skip_space(index)
            if not text.startswith(":", index):
                raise _BadJson(index, "expected ':'")
            index = self._skip_space(visit(key, self._skip_space(index + 1)))
            if text.startswith(",", index):
                index = self._skip_space(index + 1)
            elif text.startswith("}", index):
                return index + 1
            else:
                raise _BadJson(index, "expected ',' or '}'")

    def _cells(self, start: int) -> Tuple[List[ParsedCell], int]:
        text = self.text
        if not text.startswith("[", start):
            value, _ = self._value(start)
            raise SourceError(f"not a notebook: `cells` is a {type(value).__name__}, not a list")
        cells: List[ParsedCell] = []
        index = self._skip_space(start + 1)
        if text.startswith("]", index):
            return cells, index + 1
        while True:
            cell = ParsedCell(None, None, None)
            if text.startswith("{", index):
                end = self._members(index, lambda key, value_start: self._cell_member(cell, key, value_start))
            else:
                end = self._skip(index)
            cells.append(cell)
            index = self._skip_space(end)
            if text.startswith(",", index):
                index = self._skip_space(index + 1)
            elif text.startswith("]", index):
                return cells, index + 1
            else:
                raise _BadJson(index, "expected ',' or ']'")

    def _cell_member(self, cell: ParsedCell, key: str, value_start: int) -> int:
        if key == "cell_type":
            value, end = self._value(value_start)
            cell.cell_type = value if isinstance(value, str) else None
            return end
        if key == "source":
            cell.source, end = self._value(value_start)
            cell.source_span = (value_start, end)
            return end
        return self._skip(value_start)

    def _value(self, start: int):
        try:
            return _SCAN(self.text, start)
        except StopIteration as stop:
            raise _BadJson(stop.value, "expected a value") from None
        except json.JSONDecodeError as error:
            raise _BadJson(error.pos, error.msg) from None
        except RecursionError:
            raise _BadJson(start, "nested too deeply") from None

    def _skip(self, start: int) -> int:
        # Outputs are most of a notebook's bytes (base64 images); the C scanner passes over them as fast as
        # anything written here could, and what it builds is dropped at once.
        return self._value(start)[1]

    def _skip_space(self, index: int) -> int:
        return _WHITESPACE.match(self.text, index).end()


def _kernel_language(metadata: dict) -> Optional[str]:
    kernelspec = metadata.get("kernelspec")
    language_info = metadata.get("language_info")
    for holder, key in ((kernelspec, "language"), (language_info, "name")):
        if isinstance(holder, dict) and isinstance(holder.get(key), str) and holder[key].strip():
            return holder[key].strip()
    return None


def _source_text(cell: ParsedCell, number: int) -> str:
    source = cell.source
    if isinstance(source, str):  # nbformat 4 allows a string as well as a list of lines
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    if source is None:
        raise SourceError(f"cell {number} has no `source`; not a valid nbformat 4 notebook")
    raise SourceError(f"cell {number}: `source` must be a string or a list of strings")


def build_notebook(path: Path, parsed: ParsedNotebook, digest: str, encoding: str = "utf-8") -> Notebook:
    language = parsed.language
    if language is not None and language.lower() not in ("python", "python3", "ipython", "ipython3"):
        return Notebook(path, "", (), (), (), "", digest, encoding,
                        note=f"kernel language is {language}, not Python; skipped")
    marker = f"# tflint-bnn cell {digest[:12]}"
    parts: List[str] = []
    cells: List[CellSpan] = []
    sources: List[str] = []
    masks: List[Mask] = []
    row = 1
    for number, cell in enumerate(parsed.cells, start=1):
        if cell.cell_type != "code":
            continue
        source = _source_text(cell, number)
        if not is_python_cell(source):
            continue
        lines = split_lines(source)
        if lines and lines[-1] == "":
            lines.pop()
        masked_lines = mask_ipython(lines, marker, len(masks), masks)
        if cells:
            parts.append(f"{marker} {number}\n")
            row += 1
        cells.append(CellSpan(number, row, len(masked_lines)))
        sources.append(source)
        parts.extend(line + "\n" for line in masked_lines)
        row += len(masked_lines)
    text = "".join(parts)
    broken = _broken_cells(text, cells, marker) if not _parses(text) else ()
    if broken:  # each broken cell's lines become masked comments: the other cells are still one module
        cut = {number for number, _, _ in broken}
        lines = split_lines(text)
        for cell in cells:
            if cell.number in cut:
                for index in range(cell.first_row - 1, cell.first_row - 1 + cell.rows):
                    if f"{marker} magic " not in lines[index]:
                        tag = f"{marker} magic {len(masks)}"
                        masks.append(Mask(tag, lines[index].lstrip()))
                        lines[index] = lines[index][:len(lines[index]) - len(lines[index].lstrip())] + tag
                    else:  # an IPython line masked with `pass`: a comment now, the same original on write
                        index_of = next(i for i, mask in enumerate(masks) if mask.masked == lines[index].lstrip())
                        tag = f"{marker} magic {index_of}"
                        masks[index_of] = Mask(tag, masks[index_of].original)
                        lines[index] = lines[index][:len(lines[index]) - len(lines[index].lstrip())] + tag
        text = "\n".join(lines)
    return Notebook(path, text, tuple(cells), tuple(sources), tuple(masks), marker, digest, encoding,
                    broken=broken)


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _broken_cells(text: str, cells: List[CellSpan], marker: str) -> Tuple[Tuple[int, int, str], ...]:
    """The cells that do not parse on their own (IPython compiles each cell alone), with the first error of each;
    a notebook whose every cell parses alone but not joined (none seen) is left to the usual syntax error."""
    lines = split_lines(text)
    broken = []
    for cell in cells:
        cell_text = "\n".join(lines[cell.first_row - 1:cell.first_row - 1 + cell.rows]) + "\n"
        try:
            ast.parse(cell_text)
        except SyntaxError as error:
            broken.append((cell.number, error.lineno or 1, f"syntax error at cell {cell.number}, line "
                           f"{error.lineno or 1}, column {error.offset or 0}: {error.msg}; the cell is not checked"))
        except (ValueError, RecursionError, MemoryError) as error:
            broken.append((cell.number, 1, f"cannot parse cell {cell.number} ({error}); the cell is not checked"))
    return tuple(broken) if len(broken) < len(cells) else ()


def is_python_cell(source: str) -> bool:
    """False for a cell whose cell magic runs another language or writes a file (`%%bash`, `%%writefile x`)."""
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("%%"):
            name = stripped[2:].split(None, 1)[0] if stripped[2:].strip() else ""
            return name in PYTHON_CELL_MAGICS
        return True
    return True


# ---- masking IPython syntax -----------------------------------------------------------------------------------

_MAY_HOLD_IPYTHON = re.compile(r"^\s*[%!?]|\?\s*$|=\s*[%!]", re.MULTILINE)
_ASSIGNED_ESCAPE = re.compile(r"^(?P<target>[A-Za-z_][\w.\[\], ]*?)\s*=\s*[%!]")


def mask_ipython(lines: List[str], marker: str, first: int, masks: List[Mask]) -> List[str]:
    """The cell's lines with each IPython line replaced by a tagged comment (a statement where the indentation
    needs one); appends a Mask for each. Only lines that start a logical line count, never text inside strings or
    brackets."""
    if not _MAY_HOLD_IPYTHON.search("\n".join(lines)):
        return list(lines)
    result: List[str] = []
    state = _LineState()
    continued_escape = False
    for line in lines:
        at_start = state.at_logical_start()
        stripped = line.lstrip()
        indent = line[:len(line) - len(stripped)]
        content = stripped.rstrip()
        if continued_escape or (at_start and _is_escape(content)):
            tag = f"{marker} magic {first + len(masks)}"
            # A column-0 escape is a statement of the module: a comment keeps the leading imports contiguous (the
            # batching helper goes after them); an indented one stands in a block, which needs a statement. The
            # continuation lines of an escape (`!cmd \`) are no statement: comments.
            masked = f"pass  {tag}" if indent and not continued_escape else tag
            masks.append(Mask(masked, stripped))
            result.append(indent + masked)
            continued_escape = content.endswith("\\")
            continue
        assigned = _ASSIGNED_ESCAPE.match(stripped) if at_start else None
        if assigned:
            masked = f"{assigned.group('target')} = None  {marker} magic {first + len(masks)}"
            masks.append(Mask(masked, stripped))
            result.append(indent + masked)
            continued_escape = content.endswith("\\")
            continue
        state.feed(line)
        result.append(line)
    return result


def _is_escape(content: str) -> bool:
    if not content:
        return False
    if content[0] in "%!?":
        return True
    # `obj?` / `obj??` (help): a `?` ends no valid Python line outside strings and comments.
    return content.endswith("?") and "#" not in content


class _LineState:
    """Whether the next line starts a logical line: outside strings and brackets, not after a backslash."""

    def __init__(self):
        self.depth = 0
        self.string: Optional[str] = None  # the open string's quote
        self.continued = False

    def at_logical_start(self) -> bool:
        return self.depth == 0 and self.string is None and not self.continued

    def feed(self, line: str) -> None:
        index, length = 0, len(line)
        while index < length:
            char = line[index]
            if self.string is not None:
                if char == "\\":
                    index += 2
                    continue
                if line.startswith(self.string, index):
                    index += len(self.string)
                    self.string = None
                    continue
                index += 1
                continue
            if char == "#":
                break
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            elif char in "'\"":
                quote = line[index:index + 3]
                self.string = quote if quote in ('"""', "'''") else char
                index += len(self.string)
                continue
            index += 1
        self.continued = line.rstrip().endswith("\\") and "#" not in line
        if self.string in ("'", '"') and not self.continued:
            self.string = None  # an unterminated one-line string: a syntax error the parser reports


# ---- positions ------------------------------------------------------------------------------------------------


def place_finding(finding: Finding, notebook: Notebook) -> Finding:
    """The finding with its rows counted inside its cell, and `cell` set, as output shows it."""
    cell, row = notebook.locate(finding.start[0])
    offset = finding.start[0] - row
    fix = finding.fix
    if isinstance(fix, Fix):
        fix = replace(fix, edits=tuple(place_edit(edit, notebook) for edit in fix.edits))
    return replace(finding, cell=cell, start=(row, finding.start[1]),
                   end=(finding.end[0] - offset, finding.end[1]), fix=fix,
                   message=name_rows(finding.message, notebook, "line "))


def place_edit(edit: Edit, notebook: Notebook) -> Edit:
    """The edit with its rows counted inside its cell, and `cell` set."""
    cell, row = notebook.locate(edit.start[0])
    offset = edit.start[0] - row
    return replace(edit, cell=cell, start=(row, edit.start[1]), end=(edit.end[0] - offset, edit.end[1]))


def name_rows(message: str, notebook: Notebook, prefix: str) -> str:
    """`line 40` (or `nb.ipynb:40`, with that prefix) in a message becomes `cell 5, line 3` (`nb.ipynb:cell 5:3`)."""
    pattern = re.compile(r"(?<![\w/.-])" + re.escape(prefix) + r"(\d+)\b")

    def named(match: "re.Match[str]") -> str:
        cell, row = notebook.locate(int(match.group(1)))
        return f"cell {cell}, line {row}" if prefix == "line " else f"{prefix}cell {cell}:{row}"

    return pattern.sub(named, message)


def name_notebook_rows(findings: List[Finding], notebooks: Dict[str, Notebook]) -> List[Finding]:
    """Findings whose messages name a notebook's joined rows (`nb.ipynb:40`, a call from a notebook into a
    module) name them by cell instead (`nb.ipynb:cell 5:3`)."""
    named = []
    for finding in findings:
        message = finding.message
        for name, notebook in notebooks.items():
            if name + ":" in message:
                message = name_rows(message, notebook, name + ":")
        named.append(finding if message == finding.message else replace(finding, message=message))
    return named


# ---- fixes ----------------------------------------------------------------------------------------------------


def split_cells(notebook: Notebook, text: str) -> List[str]:
    """Each code cell's source after a fix of the joined text, with the masked IPython lines put back."""
    lines = split_lines(text)
    if lines and lines[-1] == "":
        lines.pop()
    cells: List[List[str]] = [[]]
    expected = [f"{notebook.marker} {cell.number}" for cell in notebook.cells[1:]]
    for line in lines:
        if len(cells) <= len(expected) and line == expected[len(cells) - 1]:
            cells.append([])
        elif line.startswith(notebook.marker + " ") and "magic" not in line:
            raise NotebookFixError("a fix moved the boundary between two cells")
        else:
            cells[-1].append(line)
    if len(cells) != len(notebook.cells):
        raise NotebookFixError("a fix removed the boundary between two cells")
    unmasked = [_unmask(cell_lines, notebook) for cell_lines in cells]
    seen = sum(count for _, count in unmasked)
    if seen != len(notebook.masks):
        raise NotebookFixError("a fix changed an IPython line")
    return [_with_ending(cell_lines, original) for (cell_lines, _), original in zip(unmasked, notebook.sources)]


def _unmask(lines: List[str], notebook: Notebook) -> Tuple[List[str], int]:
    if not notebook.masks:
        return lines, 0
    by_masked = {mask.masked: mask.original for mask in notebook.masks}
    restored, count = [], 0
    for line in lines:
        stripped = line.lstrip()
        original = by_masked.get(stripped)
        if original is None and notebook.marker + " magic " in line:
            raise NotebookFixError("a fix changed an IPython line")
        if original is not None:
            count += 1
            line = line[:len(line) - len(stripped)] + original
        restored.append(line)
    return restored, count


def _with_ending(lines: List[str], original: str) -> str:
    """The cell's text, ending with a newline only where the original did (Jupyter saves none after the last
    line), in the newline style of the original cell; blank lines a fix left at the end are dropped unless the
    original ended with them too."""
    newline = "\r\n" if "\r\n" in original else "\n"
    kept_blank = len(original) - len(original.rstrip("\r\n \t"))
    while lines and not lines[-1].strip() and not kept_blank:
        lines = lines[:-1]
    text = newline.join(lines)
    if original.endswith(("\n", "\r")) and lines:
        text += newline
    return text


def fixed_notebook_bytes(notebook: Notebook, fixed_text: str) -> Tuple[bytes, List[int]]:
    """The file's new bytes after a fix of the joined text, and the numbers of the cells that changed. Only the
    `source` values of those cells change; raises NotebookFixError (nothing written) when the fix cannot be put
    back, or SourceError when the file changed since it was read."""
    new_sources = split_cells(notebook, fixed_text)
    changed = {cell.number: source for cell, source, old in zip(notebook.cells, new_sources, notebook.sources)
               if source != old}
    data = read_file_bytes(notebook.path)
    if hashlib.sha256(data).hexdigest() != notebook.digest:
        raise NotebookFixError("the notebook changed while it was checked; not written")
    text = decode_notebook(data)
    parsed = parse_notebook(text)
    pieces, position = [], 0
    for number, cell in enumerate(parsed.cells, start=1):
        if number not in changed:
            continue
        start, end = cell.source_span
        pieces.append(text[position:start])
        pieces.append(_source_json(text, start, end, cell.source, changed[number]))
        position = end
    pieces.append(text[position:])
    return "".join(pieces).encode(notebook.encoding), sorted(changed)


def _source_json(text: str, start: int, end: int, old: object, source: str) -> str:
    """The JSON of a new `source` value in the style of the old one: a string stays a string; a list keeps its
    indentation and line ends, and lines that did not change keep their exact bytes (escapes included)."""
    ensure_ascii = not _has_raw_non_ascii(text)
    if isinstance(old, str):
        return json.dumps(source, ensure_ascii=ensure_ascii)
    raw_elements = _raw_elements(text, start, end)
    kept = {}
    for value, raw in zip(old, raw_elements):
        kept.setdefault(value, raw)
    lines = _notebook_lines(source)
    if not lines:
        return "[]"
    element_indent, closing_indent, newline = _list_layout(text, start, end)
    items = [kept.get(line) or json.dumps(line, ensure_ascii=ensure_ascii) for line in lines]
    separator = "," + newline + element_indent
    return "[" + newline + element_indent + separator.join(items) + newline + closing_indent + "]"


def _notebook_lines(source: str) -> List[str]:
    """A source split as Jupyter saves it: every line with its end, the last one without."""
    lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", source)
    return lines


def _raw_elements(text: str, start: int, end: int) -> List[str]:
    raw, index = [], start + 1
    while True:
        index = _WHITESPACE.match(text, index).end()
        if index >= end or text[index] == "]":
            return raw
        _, after = json.decoder.scanstring(text, index + 1)
        raw.append(text[index:after])
        index = _WHITESPACE.match(text, after).end()
        if text.startswith(",", index):
            index += 1


def _list_layout(text: str, start: int, end: int) -> Tuple[str, str, str]:
    """The whitespace before each element and before `]`, and the newline, of the list at text[start:end]; for
    an empty or one-line list, derived from the indentation of the line holding `"source"`."""
    inner = text[start + 1:end - 1]
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    match = re.match(r"[ \t]*(\r\n|\n)([ \t]*)", inner)
    closing = re.search(r"(?:\r\n|\n)([ \t]*)$", inner)
    if match and closing:
        return match.group(2), closing.group(1), match.group(1)
    line_start = text.rfind("\n", 0, start) + 1
    key_indent = re.match(r"[ \t]*", text[line_start:]).group(0)
    unit = re.search(r"\{(?:\r\n|\n)([ \t]+)\"", text)
    return key_indent + (unit.group(1) if unit else " "), key_indent, newline


def _has_raw_non_ascii(text: str) -> bool:
    return not text.isascii()


def write_notebook(notebook: Notebook, data: bytes) -> None:
    """Atomic, with the file's mode bits: the same write as for a Python source."""
    write_source(SourceFile(notebook.path, data.decode(notebook.encoding), notebook.encoding),
                 data.decode(notebook.encoding))


def notebook_diff(notebook: Notebook, fixed_text: str, display: str) -> str:
    """--diff for a notebook: one unified diff per changed cell, headed `nb.ipynb:cell 3` as ruff shows it."""
    new_sources = split_cells(notebook, fixed_text)
    parts = []
    for cell, old, new in zip(notebook.cells, notebook.sources, new_sources):
        if old == new:
            continue
        name = f"{display}:cell {cell.number}"
        parts.append("".join(difflib.unified_diff(_diff_lines(old), _diff_lines(new), fromfile=name, tofile=name)))
    return "".join(parts)


def _diff_lines(source: str) -> List[str]:
    lines = source.splitlines(keepends=True)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n"
    return lines


def notebook_after_fix(notebook: Notebook, data: bytes) -> Notebook:
    """The notebook as written, so findings that remain after a fix are placed in the new cells."""
    parsed = parse_notebook(decode_notebook(data))
    return build_notebook(notebook.path, parsed, hashlib.sha256(data).hexdigest(), notebook.encoding)


def cell_lines(path: Path) -> Optional[Dict[int, List[str]]]:
    """Each code cell's lines by cell number, for showing a finding's line; None when the file cannot be read."""
    try:
        notebook = read_notebook(path)
    except SourceError:
        return None
    return {cell.number: split_lines(source) for cell, source in zip(notebook.cells, notebook.sources)}


__all__ = ["CellSpan", "Notebook", "NotebookFixError", "cell_lines", "fixed_notebook_bytes", "is_notebook",
           "name_rows", "notebook_after_fix", "notebook_diff", "place_finding", "read_notebook", "write_notebook"]
