"""`tflint-bnn server`, driven as an editor drives it: JSON-RPC with Content-Length framing over the process's
stdin and stdout, written here by hand (not pygls' client) so the test checks the protocol, not pygls against
itself. Every read has a deadline: a server that hangs fails the test instead of blocking the run.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, List, Optional

import pytest

from tflint_bnn.engine import Linter
from tflint_bnn.rules import RULES_BY_CODE
from tflint_bnn.server.positions import PositionMap
from tflint_bnn.server.suppress import noqa_edit
from tflint_bnn.settings import Settings

TIMEOUT = 60  # seconds for any one answer; the first check imports LibCST
# What a client that applies versioned workspace edits declares (VS Code and Neovim do).
CAPABILITIES = {"workspace": {"workspaceEdit": {"documentChanges": True}}}

PREDICT_IN_LOOP = RULES_BY_CODE["TFB102"].INVALID[0].code  # one safe fix, one edit
HELPER = RULES_BY_CODE["TFB101"].INVALID[1].code  # one safe fix: an inserted helper plus the call it batches
MC_VIA_PREDICT = RULES_BY_CODE["TFB202"].INVALID[0].code  # only an unsafe fix
BULK_SAMPLE = RULES_BY_CODE["TFB203"].INVALID[0].code  # no fix: `draws = model(x_test).sample(100)` on line 8
EMOJI = PREDICT_IN_LOOP.replace("    y = model.predict", '    tag, y = "\U0001F600", model.predict')
CLEAN = "import numpy as np\n\nx = np.zeros(3)\n"


class LspClient:
    """A minimal LSP client: requests wait for their response; notifications are kept until asked for."""

    def __init__(self, cwd: Path, log: Path):
        with log.open("ab") as stderr:
            self.process = subprocess.Popen([sys.executable, "-m", "tflint_bnn", "server"], cwd=cwd,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr)
        self.log = log
        self.inbox: "queue.Queue[Optional[dict]]" = queue.Queue()
        self.unclaimed: List[dict] = []
        self.last_id = 0
        self.received: List[dict] = []  # every message from the server, in the order it came
        self.initialized: dict = {}  # the server's answer to initialize
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        """Frames from the server's stdout into the inbox; None when it closes."""
        stream = self.process.stdout
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if not line.strip():
                    break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            self.inbox.put(json.loads(stream.read(length).decode("utf-8")))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}, ensure_ascii=False).encode("utf-8")
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Optional[dict] = None) -> None:
        self.send({"method": method, **({"params": params} if params is not None else {})})

    def request(self, method: str, params: Optional[dict] = None):
        self.last_id += 1
        number = self.last_id
        self.send({"id": number, "method": method, **({"params": params} if params is not None else {})})
        response = self._wait(lambda message: message.get("id") == number and "method" not in message, method)
        assert "error" not in response, response["error"]
        return response["result"]

    def notification(self, method: str, accept: Callable[[dict], bool] = lambda params: True) -> dict:
        return self._wait(lambda m: m.get("method") == method and "id" not in m and accept(m["params"]),
                          method)["params"]

    def diagnostics(self, uri: str, version: Optional[int] = None) -> List[dict]:
        published = self.notification("textDocument/publishDiagnostics",
                                      lambda p: p["uri"] == uri and (version is None or p.get("version") == version))
        return published["diagnostics"]

    def _wait(self, wanted: Callable[[dict], bool], what: str) -> dict:
        for index, message in enumerate(self.unclaimed):
            if wanted(message):
                return self.unclaimed.pop(index)
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no {what} from the server in {TIMEOUT} s; its log:\n{self.log.read_text()}")
            if message is None:
                pytest.fail(f"the server closed its output waiting for {what}; its log:\n{self.log.read_text()}")
            self.received.append(message)
            if "method" in message and "id" in message:  # a request to the client: answer it as editors do
                self.send({"id": message["id"], "result": None})
            elif wanted(message):
                return message
            else:
                self.unclaimed.append(message)

    def open(self, path: Path, text: str) -> str:
        path.write_bytes(text.encode("utf-8"))  # as an editor opens a file that exists
        uri = path.as_uri()
        self.notify("textDocument/didOpen",
                    {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def code_actions(self, uri: str, range_: dict, diagnostics: List[dict], only: Optional[List[str]] = None):
        context = {"diagnostics": diagnostics, **({"only": only} if only else {})}
        return self.request("textDocument/codeAction",
                            {"textDocument": {"uri": uri}, "range": range_, "context": context})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)  # it sees the end of the output before the pipe is closed under it
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


@pytest.fixture
def start_server(tmp_path):
    pytest.importorskip("pygls")
    clients = []

    def start(capabilities: Optional[dict] = None) -> LspClient:
        client = LspClient(tmp_path, tmp_path / "server.log")
        clients.append(client)
        client.initialized = client.request("initialize", {"processId": os.getpid(), "rootUri": tmp_path.as_uri(),
                                                           "capabilities": capabilities or CAPABILITIES})
        client.notify("initialized", {})
        return client

    yield start
    for client in clients:
        client.stop()


def fixed_by_cli(directory: Path, name: str, text: str, *options: str) -> str:
    """What `tflint-bnn --fix` writes for `text`, in a copy next to the original (so it finds the same config)."""
    copy = directory / "cli" / name
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(text.encode("utf-8"))
    run = subprocess.run([sys.executable, "-m", "tflint_bnn", "--fix", "--no-cache", *options, str(copy)],
                         cwd=directory, capture_output=True, text=True, timeout=TIMEOUT * 2)
    assert run.returncode in (0, 1), run.stderr
    return copy.read_bytes().decode("utf-8")


def reported_by_cli(directory: Path, name: str, text: str) -> List[tuple]:
    """(code, row) of each finding `tflint-bnn FILE` reports for `text`, in a copy next to the original."""
    copy = directory / "cli" / name
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(text.encode("utf-8"))
    run = subprocess.run([sys.executable, "-m", "tflint_bnn", "--no-cache", "--output-format", "json", str(copy)],
                         cwd=directory, capture_output=True, text=True, timeout=TIMEOUT * 2)
    assert run.returncode in (0, 1), run.stderr
    return [(finding["code"], finding["location"]["row"]) for finding in json.loads(run.stdout)]


_UNITS = {"utf-8": lambda char: len(char.encode("utf-8")), "utf-16": lambda char: 2 if ord(char) > 0xFFFF else 1,
          "utf-32": lambda char: 1}


def offset_of(text: str, position: dict, encoding: str) -> int:
    """An LSP position as an index into `text`: lines end at \\n, \\r\\n or \\r; columns count `encoding` units."""
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
    if position["line"] >= len(starts):
        return len(text)
    index, units = starts[position["line"]], 0
    while units < position["character"]:
        units += _UNITS[encoding](text[index])
        index += 1
    assert units == position["character"], f"{position} falls inside a character"
    return index


def apply_edits(text: str, edits: List[dict], encoding: str = "utf-16") -> str:
    """LSP's rule: every edit's range refers to the original text, and ranges do not overlap."""
    spans = sorted((offset_of(text, e["range"]["start"], encoding), offset_of(text, e["range"]["end"], encoding),
                    e["newText"]) for e in edits)
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert end <= start, f"overlapping edits: {edits}"
    for start, end, new_text in reversed(spans):
        text = text[:start] + new_text + text[end:]
    return text


def edits_of(action: dict, uri: str, version: int) -> List[dict]:
    """The action's edits to `uri`, checking they were made for `version` where the client takes versioned ones."""
    edit = action["edit"]
    if "documentChanges" not in edit:
        return edit["changes"][uri]
    [change] = edit["documentChanges"]
    assert change["textDocument"] == {"uri": uri, "version": version}
    return change["edits"]


def lsp_range(start, end) -> dict:
    """For ASCII text, where code-point columns and UTF-16 columns agree."""
    return {"start": {"line": start[0] - 1, "character": start[1]}, "end": {"line": end[0] - 1, "character": end[1]}}


@pytest.mark.parametrize("source", [PREDICT_IN_LOOP, HELPER, HELPER.replace("\n", "\r\n")],
                         ids=["TFB102", "TFB101-helper", "TFB101-helper-crlf"])
def test_diagnostics_are_the_linters_and_the_quick_fix_writes_what_fix_writes(start_server, tmp_path, source):
    client = start_server()
    uri = client.open(tmp_path / "model.py", source)
    diagnostics = client.diagnostics(uri, version=1)

    [finding] = Linter(Settings()).lint(source)
    assert [(d["code"], d["range"]) for d in diagnostics] == [(finding.code, lsp_range(finding.start, finding.end))]
    [found] = diagnostics
    assert found["severity"] == 2 and found["source"] == "tflint-bnn" and found["message"] == finding.message
    assert found["codeDescription"] == {"href": RULES_BY_CODE[finding.code].url()}

    [action, disable] = client.code_actions(uri, found["range"], diagnostics, only=["quickfix"])
    assert action["title"] == f"{finding.code}: {finding.fix.message}"
    assert action["kind"] == "quickfix" and action["isPreferred"] is True and action["diagnostics"] == [found]
    assert disable["title"] == f"{finding.code}: Disable for this line" and disable["isPreferred"] is False
    fixed = apply_edits(source, edits_of(action, uri, 1))
    assert fixed != source
    assert fixed == fixed_by_cli(tmp_path, "model.py", source)


def test_an_unsafe_fix_says_so_and_is_not_preferred(start_server, tmp_path):
    client = start_server()
    uri = client.open(tmp_path / "mc.py", MC_VIA_PREDICT)
    [found] = client.diagnostics(uri)
    actions = client.code_actions(uri, found["range"], [found])

    [action, _disable] = actions  # no "fix all": --fix applies no unsafe fix
    fix = Linter(Settings()).lint(MC_VIA_PREDICT)[0].fix
    assert action["title"] == f"TFB202 (unsafe): {fix.message}"
    assert not action.get("isPreferred")
    fixed = apply_edits(MC_VIA_PREDICT, edits_of(action, uri, 1))
    assert fixed == fixed_by_cli(tmp_path, "mc.py", MC_VIA_PREDICT, "--unsafe-fixes") != MC_VIA_PREDICT


def test_a_client_without_versioned_edits_gets_plain_changes(start_server, tmp_path):
    client = start_server({"workspace": {"workspaceEdit": {"documentChanges": False}}})
    uri = client.open(tmp_path / "model.py", PREDICT_IN_LOOP)
    [found] = client.diagnostics(uri)
    [action, disable] = client.code_actions(uri, found["range"], [found], only=["quickfix"])

    assert list(action["edit"]) == ["changes"] and list(disable["edit"]) == ["changes"]
    assert apply_edits(PREDICT_IN_LOOP, edits_of(action, uri, 1)) == fixed_by_cli(tmp_path, "model.py",
                                                                                  PREDICT_IN_LOOP)


def test_quick_fixes_are_offered_only_for_findings_in_the_range(start_server, tmp_path):
    source = HELPER + "for i in range(100):\n    y = model.predict(x_test[i][None])\n"
    client = start_server()
    uri = client.open(tmp_path / "two.py", source)
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["TFB101", "TFB102"]
    second = diagnostics[1]
    cursor = {"start": second["range"]["start"], "end": second["range"]["start"]}

    titles = [action["title"] for action in client.code_actions(uri, cursor, [second], only=["quickfix"])]
    assert titles == ["TFB102: Call the model directly: same inference, ndarray result",
                      "TFB102: Disable for this line"]


def disable_action(actions: List[dict], code: str) -> dict:
    [action] = [action for action in actions if action["title"] == f"{code}: Disable for this line"]
    assert action["kind"] == "quickfix" and action["isPreferred"] is False
    return action


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_disable_for_this_line_suppresses_a_finding_without_a_fix(start_server, tmp_path, newline):
    source = BULK_SAMPLE.replace("\n", newline)
    client = start_server()
    uri = client.open(tmp_path / "draws.py", source)
    [found] = client.diagnostics(uri)
    assert found["code"] == "TFB203" and found["range"]["start"]["line"] == 7

    actions = client.code_actions(uri, found["range"], [found], only=["quickfix"])
    assert [action["title"] for action in actions] == ["TFB203: Disable for this line"]  # TFB203 has no fix
    assert disable_action(actions, "TFB203")["diagnostics"] == [found]
    disabled = apply_edits(source, edits_of(actions[0], uri, 1))
    assert disabled == source.replace("sample(100)", "sample(100)  # noqa: TFB203")  # newlines kept as they were
    ast.parse(disabled)
    assert reported_by_cli(tmp_path, "draws.py", source) == [("TFB203", 8)]
    assert reported_by_cli(tmp_path, "draws.py", disabled) == []


@pytest.mark.parametrize("comment, commented", [
    ("  # noqa: TFB999", "  # noqa: TFB999, TFB203"),
    ("  # NOQA:TFB999,TFB998 (reviewed)", "  # NOQA:TFB999,TFB998,TFB203 (reviewed)"),
    ("  # noqa: TFB999 TFB998", "  # noqa: TFB999 TFB998 TFB203"),
    ("  # a large tensor, on purpose   ", "  # a large tensor, on purpose  # noqa: TFB203"),
], ids=["list", "compact-list", "space-separated", "other-comment"])
def test_disable_for_this_line_adds_to_the_comment_there(start_server, tmp_path, comment, commented):
    source = BULK_SAMPLE.replace("sample(100)", "sample(100)" + comment)
    client = start_server()
    uri = client.open(tmp_path / "draws.py", source)
    [found] = client.diagnostics(uri)

    action = disable_action(client.code_actions(uri, found["range"], [found]), "TFB203")
    disabled = apply_edits(source, edits_of(action, uri, 1))
    assert disabled == BULK_SAMPLE.replace("sample(100)", "sample(100)" + commented)
    assert reported_by_cli(tmp_path, "draws.py", disabled) == []


def test_two_codes_on_one_line_get_one_disable_each(start_server, tmp_path):
    # A model rebuilt and then predicted on one row, both on line 7 of a 100-step loop: TFB401 and TFB102.
    source = PREDICT_IN_LOOP.replace(
        "    y = model.predict", "    model = keras.Sequential([keras.layers.Dense(1)]); y = model.predict")
    client = start_server()
    uri = client.open(tmp_path / "rebuilt.py", source)
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["TFB401", "TFB102"]

    actions = client.code_actions(uri, diagnostics[1]["range"], diagnostics, only=["quickfix"])
    once = apply_edits(source, edits_of(disable_action(actions, "TFB102"), uri, 1))
    assert reported_by_cli(tmp_path, "rebuilt.py", once) == [("TFB401", 7)]
    client.change(uri, 2, once)
    [left] = client.diagnostics(uri, version=2)
    twice = apply_edits(once, edits_of(disable_action(client.code_actions(uri, left["range"], [left]), "TFB401"),
                                       uri, 2))
    assert "# noqa: TFB102, TFB401" in twice and reported_by_cli(tmp_path, "rebuilt.py", twice) == []


def test_no_disable_where_the_line_ends_inside_a_string(start_server, tmp_path):
    # The call is on a line that a triple-quoted string continues past: a comment added there would be in it.
    source = RULES_BY_CODE["TFB101"].INVALID[0].code.replace(
        "probs = model(x_test).numpy()", 'probs, doc = model(x_test).numpy(), """full batch:\nsee below"""')
    client = start_server()
    uri = client.open(tmp_path / "doc.py", source)
    [found] = client.diagnostics(uri)
    assert found["code"] == "TFB101"

    titles = [action["title"] for action in client.code_actions(uri, found["range"], [found], only=["quickfix"])]
    assert titles == ["TFB101: " + Linter(Settings()).lint(source)[0].fix.message]  # the fix, and no disable


@pytest.mark.parametrize("text, row, expected", [
    ("x = f(a)\n", 1, "x = f(a)  # noqa: TFB101\n"),
    ("x = f(a)   \r\ny = 2\r\n", 1, "x = f(a)  # noqa: TFB101\r\ny = 2\r\n"),
    ("y = 2\nx = f(a)", 2, "y = 2\nx = f(a)  # noqa: TFB101"),  # the last line, with no newline
    ("x = f(\n    a)\n", 1, "x = f(  # noqa: TFB101\n    a)\n"),  # a comment inside the brackets
    ('s = "# noqa: TFB999"; x = f(a)\n', 1, 's = "# noqa: TFB999"; x = f(a)  # noqa: TFB101\n'),
    ("x = f(a)  # noqa: TFB999 # why\n", 1, "x = f(a)  # noqa: TFB999, TFB101 # why\n"),
    ("x = f(a)  # noqa: TFB999\u00e9\n", 1, "x = f(a)  # noqa: TFB999, TFB101\u00e9\n"),
    ('x = f(a), """\n"""\n', 1, None),  # the line ends inside a string
    ("x = f(a) + \\\n    1\n", 1, None),  # a comment cannot follow a backslash continuation
], ids=["new", "crlf-trailing-space", "last-line", "open-bracket", "noqa-in-string", "list-and-note", "non-ascii",
        "in-string", "backslash"])
def test_noqa_edit_suppresses_or_is_not_offered(text, row, expected):
    edit = noqa_edit(text, row, "TFB101")
    if expected is None:
        assert edit is None
        return
    start, end = (PositionMap(text, "utf-32").to_lsp(position) for position in (edit.start, edit.end))
    change = {"range": {"start": {"line": start[0], "character": start[1]},
                        "end": {"line": end[0], "character": end[1]}}, "newText": edit.content}
    assert apply_edits(text, [change], "utf-32") == expected


def test_fix_all_replaces_the_text_with_what_fix_writes(start_server, tmp_path):
    source = (HELPER + "for i in range(100):\n    y = model.predict(x_test[i][None])\n"
              "samples = [model.predict(x_test[:8], verbose=0) for _ in range(500)]\n")
    client = start_server()
    uri = client.open(tmp_path / "several.py", source)
    diagnostics = client.diagnostics(uri)
    assert [d["code"] for d in diagnostics] == ["TFB101", "TFB102", "TFB102"]  # three fixes, one edit for all
    everything = {"start": {"line": 0, "character": 0}, "end": {"line": source.count("\n"), "character": 0}}

    [action] = client.code_actions(uri, everything, diagnostics, only=["source.fixAll"])
    assert action["kind"] == "source.fixAll.tflint-bnn" and action["title"] == "Fix all safe tflint-bnn problems"
    assert apply_edits(source, edits_of(action, uri, 1)) == fixed_by_cli(tmp_path, "several.py", source)


def test_diagnostics_follow_change_save_and_close(start_server, tmp_path):
    client = start_server()
    path = tmp_path / "edited.py"
    uri = client.open(path, PREDICT_IN_LOOP)
    assert [d["code"] for d in client.diagnostics(uri, version=1)] == ["TFB102"]

    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": CLEAN}]})
    assert client.diagnostics(uri, version=2) == []
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                             "contentChanges": [{"text": HELPER}]})
    assert [d["code"] for d in client.diagnostics(uri, version=3)] == ["TFB101"]
    path.write_text(HELPER)
    client.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert [d["code"] for d in client.diagnostics(uri, version=3)] == ["TFB101"]
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert client.diagnostics(uri) == []


def test_a_burst_of_changes_publishes_the_last_version_last(start_server, tmp_path):
    client = start_server()
    uri = client.open(tmp_path / "typed.py", PREDICT_IN_LOOP)
    assert [d["code"] for d in client.diagnostics(uri, version=1)] == ["TFB102"]

    texts = [HELPER, PREDICT_IN_LOOP, EMOJI, HELPER, CLEAN]  # versions 2 to 6, as fast as the pipe takes them
    for version, text in enumerate(texts, start=2):
        client.change(uri, version, text)
    assert client.diagnostics(uri, version=6) == []
    client.code_actions(uri, lsp_range((1, 0), (1, 0)), [])  # a round trip: whatever came before it is in
    versions = [m["params"]["version"] for m in client.received
                if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]
    assert versions == sorted(versions) and versions[-1] == 6, versions  # never an older text's after a newer's


def test_a_request_right_after_a_change_is_answered_for_the_new_text(start_server, tmp_path):
    client = start_server()
    uri = client.open(tmp_path / "typed.py", PREDICT_IN_LOOP)
    client.diagnostics(uri, version=1)

    client.change(uri, 2, HELPER)
    everything = lsp_range((1, 0), (HELPER.count("\n") + 1, 0))
    actions = client.code_actions(uri, everything, [], only=["quickfix"])  # sent before the change's check is due
    assert [action["title"] for action in actions] == [
        "TFB101: " + Linter(Settings()).lint(HELPER)[0].fix.message, "TFB101: Disable for this line"]
    assert apply_edits(HELPER, edits_of(actions[0], uri, 2)) == fixed_by_cli(tmp_path, "typed.py", HELPER)
    assert [d["code"] for d in client.diagnostics(uri, version=2)] == ["TFB101"]


def test_a_document_closed_before_its_check_is_done_stays_clear(start_server, tmp_path):
    client = start_server()
    uri = client.open(tmp_path / "closed.py", HELPER)
    client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})  # most likely while HELPER is checked
    other = client.open(tmp_path / "other.py", CLEAN)
    assert client.diagnostics(other) == []  # its check was queued after the closed one's: that one is over too

    published = [m["params"] for m in client.received
                 if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]
    assert published[-1]["diagnostics"] == [], published


@pytest.mark.parametrize("encoding, column", [(None, 19), ("utf-8", 21), ("utf-32", 18)])
def test_columns_count_the_negotiated_units(start_server, tmp_path, encoding, column):
    # The emoji is 1 code point, 2 UTF-16 units and 4 UTF-8 bytes before the call at code-point column 18.
    offered = {"general": {"positionEncodings": [encoding]}} if encoding else {}
    client = start_server({**CAPABILITIES, **offered})
    encoding = encoding or "utf-16"
    assert client.initialized["capabilities"].get("positionEncoding", "utf-16") == encoding
    uri = client.open(tmp_path / "emoji.py", EMOJI)
    [found] = client.diagnostics(uri)
    assert found["range"]["start"] == {"line": 6, "character": column}

    [action, _disable] = client.code_actions(uri, found["range"], [found], only=["quickfix"])
    assert apply_edits(EMOJI, edits_of(action, uri, 1), encoding) == fixed_by_cli(tmp_path, "emoji.py", EMOJI)


@pytest.mark.parametrize("encoding, column", [("utf-16", 8), ("utf-8", 10), ("utf-32", 7)])
def test_position_map_counts_units_on_each_line(encoding, column):
    positions = PositionMap("a\r\nb = '\U0001F600' + c\rd", encoding)
    assert positions.to_lsp((2, 7)) == (1, column)  # after the closing quote
    assert positions.to_lsp((3, 1)) == (2, 1)  # a lone \r ends a line too
    assert positions.to_lsp((9, 0)) == positions.end() == (2, 1)  # past the end: the end, as apply_fixes reads it


def test_the_documents_own_config_applies(start_server, tmp_path):
    project = tmp_path / "my project"  # a space: the URI escapes it, the server must unescape it
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.tflint-bnn]\nunsafe-fixes = true\n'
                                            '[tool.tflint-bnn.per-file-ignores]\n"quiet_*.py" = ["TFB102"]\n')
    client = start_server()
    assert client.diagnostics(client.open(project / "quiet_model.py", PREDICT_IN_LOOP)) == []

    uri = client.open(project / "mc.py", MC_VIA_PREDICT)
    diagnostics = client.diagnostics(uri)
    [action] = client.code_actions(uri, diagnostics[0]["range"], diagnostics, only=["source.fixAll"])
    assert action["title"] == "Fix all safe and unsafe tflint-bnn problems"
    assert apply_edits(MC_VIA_PREDICT, edits_of(action, uri, 1)) == fixed_by_cli(project, "mc.py", MC_VIA_PREDICT)


def test_a_bad_config_is_one_error_that_names_it(start_server, tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.tflint-bnn]\nbatch-size = 8\n")
    client = start_server()
    [found] = client.diagnostics(client.open(tmp_path / "model.py", PREDICT_IN_LOOP))
    assert found["severity"] == 1 and "unknown option `batch-size`" in found["message"]
    assert found["range"] == {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 0}}


def test_a_syntax_error_is_one_error_on_its_line(start_server, tmp_path):
    client = start_server()
    uri = client.open(tmp_path / "broken.py", "import tensorflow as tf\n\nx = tf.constant((1,\n")
    [found] = client.diagnostics(uri)
    assert found["severity"] == 1 and "code" not in found and "syntax error" in found["message"]
    assert found["range"]["start"]["line"] == 2
    assert client.code_actions(uri, found["range"], [found]) == []


@pytest.mark.parametrize("shutdown, status", [(True, 0), (False, 1)])
def test_exit_ends_the_process_with_the_status_lsp_asks_for(start_server, shutdown, status):
    client = start_server()
    if shutdown:
        assert client.request("shutdown") is None
    client.notify("exit")
    assert client.process.wait(timeout=TIMEOUT) == status


def test_without_pygls_the_server_says_how_to_install_it():
    blocked = "import sys; sys.modules['pygls'] = None; from tflint_bnn.cli import main; sys.exit(main(['server']))"
    run = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=TIMEOUT,
                         stdin=subprocess.DEVNULL)
    assert run.returncode == 2
    assert run.stderr == "tflint-bnn: error: the language server needs pygls: pip install 'tflint-bnn[lsp]'\n"
    assert run.stdout == ""
