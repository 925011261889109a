"""Reporting findings in each `--output-format`, the summary, statistics and --show-fixes.

text (ruff's full shape: the line with a caret under the span), concise (one line per finding), json (ruff's field
names), json-lines, github (workflow commands that annotate the diff) and sarif (2.1.0, for code scanning).
"""

from __future__ import annotations

import itertools
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Dict, List, Optional, Sequence, Tuple, Type, Union
from urllib.parse import quote

from tflint_bnn import __version__
from tflint_bnn.docs import rule_doc
from tflint_bnn.engine import codes_for
from tflint_bnn.files import SourceError, read_source
from tflint_bnn.findings import Applicability, Finding, Position
from tflint_bnn.fixes.edits import split_lines
from tflint_bnn.notebooks import cell_lines, is_notebook
from tflint_bnn.rules import ALL_RULES, RULES_BY_CODE, Rule

OUTPUT_FORMATS = ("text", "concise", "json", "json-lines", "github", "sarif")
HUMAN_FORMATS = ("text", "concise")  # the others are data: nothing else may share stdout with them
HOMEPAGE = "https://github.com/tflint-bnn/tflint-bnn"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TAB_WIDTH = 4  # tabs in a snippet expand to stops this many columns apart (ruff's default indent width)
_DESCRIPTION_LIMIT = 1024  # GitHub's limit on shortDescription and fullDescription


@dataclass(frozen=True)
class Located:
    """A finding with the file it was found in (display path and absolute path)."""

    display: str
    filename: str
    finding: Finding


def use_colour(stream: IO[str]) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def write_findings(output_format: str, items: Sequence[Located], stream: IO[str], unsafe_fixes: bool,
                   colour: bool) -> None:
    if output_format == "text":
        write_text(items, stream, unsafe_fixes, colour)
    elif output_format == "concise":
        write_concise(items, stream, unsafe_fixes, colour)
    elif output_format == "json":
        write_json(items, stream)
    elif output_format == "json-lines":
        write_json_lines(items, stream)
    elif output_format == "github":
        write_github(items, stream)
    elif output_format == "sarif":
        write_sarif(items, stream)
    else:
        raise ValueError(f"unknown output format {output_format!r}")


# ---- concise and text ----------------------------------------------------------------------------------------


def write_concise(items: Sequence[Located], stream: IO[str], unsafe_fixes: bool, colour: bool) -> None:
    for item in items:
        stream.write(_header(item, unsafe_fixes, colour) + "\n")


def _header(item: Located, unsafe_fixes: bool, colour: bool) -> str:
    finding = item.finding
    row, column = finding.start
    marker = "[*] " if finding.fixable(unsafe_fixes) else ""
    cell = f":cell {finding.cell}" if finding.cell is not None else ""  # ruff's notebook position
    location = _paint(item.display, "1", colour) + f"{cell}:{row}:{column + 1}:"
    return f"{location} {_paint(finding.code, '1;31', colour)} {marker}{finding.message}"


def write_text(items: Sequence[Located], stream: IO[str], unsafe_fixes: bool, colour: bool) -> None:
    """Each finding's header, then its line with a caret under the span and the fix's title, like ruff:

        bad.py:6:9: TFB101 [*] `model(x_test)` runs one forward pass ...
          |
        6 | probs = model(x_test).numpy()
          |         ^^^^^^^^^^^^^ TFB101
          |
          = help: Use model.predict, which returns the same array batch by batch

    The files are read now: the findings are those of the text on disk (after --fix). A file that cannot be read
    any more gets the header alone.
    """
    for filename, group in itertools.groupby(items, key=lambda item: item.filename):
        lines = _source_lines(filename)
        for item in group:
            stream.write(_header(item, unsafe_fixes, colour) + "\n")
            shown = lines.get(item.finding.cell) if isinstance(lines, dict) else lines
            stream.write(_snippet(item.finding, shown, colour))
            stream.write("\n")


def _source_lines(filename: str) -> Union[None, List[str], Dict[int, List[str]]]:
    """The file's lines, or a notebook's lines per cell number."""
    if is_notebook(Path(filename)):
        return cell_lines(Path(filename))
    try:
        return split_lines(read_source(Path(filename)).text)
    except SourceError:
        return None


def _snippet(finding: Finding, lines: Optional[List[str]], colour: bool) -> str:
    (row, start), (end_row, end) = finding.start, finding.end
    if lines is None or not 1 <= row <= len(lines):
        return ""
    line = lines[row - 1]
    if end_row != row:  # a span over several lines: underline the rest of its first line
        end = len(line.rstrip())
    shown, columns = _render(line)
    start = min(start, len(line))
    end = min(max(end, start), len(line))
    indent = columns[start]
    width = max(columns[end] - indent, 1)  # an empty span still gets one caret
    gutter = " " * len(str(row))

    def bar(prefix: str) -> str:
        return _paint(f"{prefix} |", "1;34", colour)

    caret = _paint("^" * width + " " + finding.code, "1;31", colour)
    text = [bar(gutter), f"{bar(str(row))} {shown}", f"{bar(gutter)} {' ' * indent}{caret}", bar(gutter)]
    if finding.fix is not None:
        text.append(_paint(f"{gutter} =", "1;34", colour) + f" help: {finding.fix.message}")
    return "".join(part + "\n" for part in text)


def _render(line: str) -> Tuple[str, List[int]]:
    """The line as a terminal shows it, and the display column where each character starts (and where it ends).

    A tab becomes spaces up to the next stop and a control character its visible symbol (U+2400...), so that
    the caret line, which is spaces, lines up; wide (East Asian) characters take two columns, combining marks
    none.
    """
    shown: List[str] = []
    columns = [0]
    for char in line:
        column = columns[-1]
        if char == "\t":
            text = " " * (TAB_WIDTH - column % TAB_WIDTH)
        elif unicodedata.category(char) == "Cc":
            text = _control_picture(char)
        else:
            text = char
        shown.append(text)
        columns.append(column + sum(_width(c) for c in text))
    return "".join(shown), columns


def _control_picture(char: str) -> str:
    """A control character's symbol (NUL -> U+2400 ...; DEL -> U+2421), so that it takes one column."""
    if ord(char) < 0x20:
        return chr(0x2400 + ord(char))
    return "\u2421" if char == "\x7f" else "\ufffd"


def _width(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # combining marks, zero-width joiners and spaces
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def write_summary(items: Sequence[Located], stream: IO[str], unsafe_fixes: bool, fixed: int) -> None:
    remaining = len(items)
    safe = sum(1 for i in items if i.finding.fixable(False))
    hidden = sum(1 for i in items if i.finding.fix and i.finding.fix.applicability is Applicability.UNSAFE)
    parts = []
    if remaining:
        parts.append(f"Found {remaining} error{'s' if remaining != 1 else ''}" +
                     (f" ({fixed} fixed, {remaining} remaining)." if fixed else "."))
    elif fixed:
        parts.append(f"Found {fixed} error{'s' if fixed != 1 else ''} ({fixed} fixed, 0 remaining).")
    if safe:
        parts.append(f"[*] {safe} fixable with the `--fix` option.")
    if hidden and not unsafe_fixes:
        parts.append(f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` "
                     "option.")
    elif hidden and unsafe_fixes:
        parts.append(f"[*] {hidden} more fixable with `--fix --unsafe-fixes`.")
    if parts:
        stream.write("\n".join(parts) + "\n")


# ---- json and json-lines -------------------------------------------------------------------------------------


def write_json(items: Sequence[Located], stream: IO[str]) -> None:
    json.dump([_json_finding(item) for item in items], stream, indent=2)
    stream.write("\n")


def write_json_lines(items: Sequence[Located], stream: IO[str]) -> None:
    for item in items:
        stream.write(json.dumps(_json_finding(item)) + "\n")


def _json_finding(item: Located) -> dict:
    finding = item.finding
    fix = None
    if finding.fix is not None:
        fix = {
            "applicability": finding.fix.applicability.value,
            "message": finding.fix.message,
            "edits": [_json_edit(e) for e in finding.fix.edits],
        }
    data = {
        "code": finding.code,
        "message": finding.message,
        "filename": item.filename,
        "location": _location(finding.start),
        "end_location": _location(finding.end),
        "fix": fix,
        "url": RULES_BY_CODE[finding.code].url(),
        "noqa_row": finding.start[0],
    }
    if finding.cell is not None:  # ruff's field: rows then count inside this (1-based) cell of the notebook
        data["cell"] = finding.cell
    return data


def _json_edit(edit) -> dict:
    data = {"content": edit.content, "location": _location(edit.start), "end_location": _location(edit.end)}
    if edit.cell is not None:
        data["cell"] = edit.cell
    return data


def _location(position: Position) -> dict:
    row, column = position
    return {"row": row, "column": column + 1}


# ---- github --------------------------------------------------------------------------------------------------


def write_github(items: Sequence[Located], stream: IO[str]) -> None:
    """One `::warning` workflow command per finding: GitHub Actions shows each as an annotation on its span."""
    for item in items:
        finding = item.finding
        (row, column), (end_row, end_column) = finding.start, finding.end
        properties = {"file": PurePath(item.display).as_posix(), "line": row, "col": column + 1,
                      "endLine": end_row, "endColumn": end_column + 1, "title": finding.code}
        listed = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
        stream.write(f"::warning {listed}::{_escape_data(_cell_named(finding))}\n")


def _cell_named(finding: Finding) -> str:
    """GitHub and SARIF point at a file's lines; in a notebook the message names the cell the row counts in."""
    return finding.message if finding.cell is None else f"cell {finding.cell}: {finding.message}"


def _escape_data(text: str) -> str:
    """As @actions/core escapes a command's message: a newline would end the command."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A property value also may not hold the `,` between properties nor the `:` that ends them."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


# ---- sarif ---------------------------------------------------------------------------------------------------


def write_sarif(items: Sequence[Located], stream: IO[str]) -> None:
    json.dump(sarif_log(items, Path.cwd()), stream, indent=2)
    stream.write("\n")


def sarif_log(items: Sequence[Located], root: Path) -> dict:
    """A SARIF 2.1.0 log with every rule (code scanning lists the rules of a run) and one result per finding.

    Displayed paths are relative to `root` (the working directory), which %SRCROOT% names; GitHub reads relative
    URIs from the repository's root, so run the check from there.
    """
    indices = {rule.code: index for index, rule in enumerate(ALL_RULES)}
    root_uri = root.absolute().as_uri()
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "tflint-bnn", "version": __version__, "informationUri": HOMEPAGE,
                                "rules": [_sarif_rule(rule) for rule in ALL_RULES]}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}},
            # Finding columns count characters; SARIF's default is UTF-16 code units.
            "columnKind": "unicodeCodePoints",
            "results": [_sarif_result(item, indices[item.finding.code]) for item in items],
        }],
    }


def _sarif_rule(rule: Type[Rule]) -> dict:
    doc = rule_doc(rule.code)
    help_text = {"text": f"{rule.summary}. See {rule.url()}"}
    if doc:
        help_text["markdown"] = doc  # GitHub shows this rather than the text
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _full_description(rule, doc)},
        "help": help_text,
        "helpUri": rule.url(),
        "defaultConfiguration": {"level": "warning", "enabled": rule.default_enabled},
    }


def _full_description(rule: Type[Rule], doc: Optional[str]) -> str:
    """The first paragraph of the page's "What it does" (one line), or the summary if that is missing or longer
    than GitHub shows."""
    section = doc.partition("## What it does\n")[2] if doc else ""
    paragraph = " ".join(section.strip().split("\n\n", 1)[0].split())
    return paragraph if paragraph and len(paragraph) <= _DESCRIPTION_LIMIT else rule.summary


def _sarif_result(item: Located, rule_index: int) -> dict:
    finding = item.finding
    artifact = _artifact(item)
    result = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": "warning",
        "message": {"text": _cell_named(finding)},
        "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                            "region": _region(finding.start, finding.end)}}],
    }
    # A notebook's rows count inside cells, not in the .ipynb file that SARIF regions address: no fixes there.
    if finding.fix is not None and finding.cell is None:
        replacements = [{"deletedRegion": _region(edit.start, edit.end), "insertedContent": {"text": edit.content}}
                        for edit in finding.fix.edits]
        result["fixes"] = [{"description": {"text": finding.fix.message},
                            "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
                            "properties": {"applicability": finding.fix.applicability.value}}]
    return result


def _artifact(item: Located) -> dict:
    path = PurePath(item.display)
    if path.is_absolute():
        return {"uri": Path(item.filename).as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": "%SRCROOT%"}


def _region(start: Position, end: Position) -> dict:
    """SARIF columns are 1-based and the end column is the one after the span, like the findings' (0-based)."""
    return {"startLine": start[0], "startColumn": start[1] + 1, "endLine": end[0], "endColumn": end[1] + 1}


# ---- statistics and --show-fixes -----------------------------------------------------------------------------


def write_statistics(findings: Sequence[Finding], stream: IO[str], unsafe_fixes: bool) -> None:
    for code, count in codes_for(findings):
        fixable = any(f.code == code and f.fixable(unsafe_fixes) for f in findings)
        stream.write(f"{count:>5}\t{code}\t{'[*] ' if fixable else ''}{RULES_BY_CODE[code].name}\n")


def write_fixed(fixed: List[Located], stream: IO[str]) -> None:
    """--show-fixes: what was changed, per file and code."""
    if not fixed:
        stream.write("No errors fixed.\n")
        return
    stream.write(f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:\n")
    by_file: dict = {}
    for item in fixed:
        by_file.setdefault(item.display, []).append(item.finding)
    for display, findings in by_file.items():
        stream.write(f"- {display}:\n")
        for code, count in codes_for(findings):
            stream.write(f"    {count} \u00d7 {code} ({RULES_BY_CODE[code].name})\n")
