"""Multi-file mini projects, linted the way a user runs the tool: `python -m tflint_bnn . --output-format json`
from the project's directory.

Each directory under tests/projects/ is one small program split like real code (model.py, data.py, train.py,
...) and holds an `expected` file: one `path:line:code` per finding a careful reader says must be reported,
optionally followed by quoted fragments its message must contain (how often, and where the count or the rows
come from), `#` starting a comment. Every project mixes problems with code of the same shape that is fine
(small data, already batched, tiny bounded loops), and the assertion is on the exact set, so a missed problem
and a false finding both fail. A project the analysis does not handle yet is listed in KNOWN_GAPS with why, as a strict
xfail: it starts failing the day the gap is closed, and then moves out of the list.

The first line of `expected` names the shapes of real code (issue 11, "What real code looks like", 1-7) the
project exercises: 1 a model made elsewhere, 2 data made elsewhere, 3 repetition through callers, 4 loops a
library drives, 5 graph-mode evaluation helpers, 6 rows that do not depend on the origin, 7 how often.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import shlex
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from tflint_bnn.cli import main

PROJECTS = Path(__file__).resolve().parent / "projects"
ISSUE_CLASSES = range(1, 8)

# project name -> why the analysis misses (or adds) what `expected` says: the value, loop or call it loses.
KNOWN_GAPS = {
    "k_function_learning_phase_zero": (
        "models.model_from_keras_call records only that a K.function takes the learning phase as an input "
        "(learning_phase_input); the value fed at the call (`f([x, phase])`, 0 from mc_samples' default) is not "
        "read, and TFB202 does not consider backend functions, so 30 inference-mode 'samples' are not reported"),
    "critic_on_episode_states": (
        "`np.array(self.states)`: a list attribute that remember(), another method called once per step, appends "
        "to and finish_episode() resets; the evaluator follows lists appended in the same function only, so the "
        "critic's predict on one episode (at most 500 rows) has no row count and TFB102, which needs one, is "
        "silent although the 2,000-episode loop in train.py is visible"),
}

# project name -> why a message lacks a fragment `expected` asks for (a count, or where it comes from).
MESSAGE_GAPS = {
}

Site = Tuple[str, int, str]  # path relative to the project, line, code


def projects() -> List[Path]:
    return sorted(path for path in PROJECTS.iterdir() if path.is_dir())


def expected_findings(project: Path) -> Dict[Site, List[str]]:
    """Each expected finding with the fragments its message must contain."""
    found = {}
    for number, raw in enumerate((project / "expected").read_text().splitlines(), 1):
        words = shlex.split(raw, comments=True)
        if not words:
            continue
        path, row, code = words[0].split(":")
        assert (project / path).is_file(), f"{project.name}/expected:{number}: no file {path}"
        found[(path, int(row), code)] = words[1:]
    return found


@functools.lru_cache(maxsize=None)
def reported_findings(project: Path) -> Dict[Site, str]:
    """Each finding of `python -m tflint_bnn . --output-format json` run in `project`, with its message."""
    stdout, stderr = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            status = main([".", "--output-format", "json", "--no-cache", "--jobs", "1"])
    finally:
        os.chdir(before)
    assert status in (0, 1), stderr.getvalue()
    assert stderr.getvalue() == ""  # no file the tool could not read or analyse
    return {(Path(item["filename"]).relative_to(project).as_posix(), item["location"]["row"], item["code"]):
            item["message"] for item in json.loads(stdout.getvalue())}


def _params(gaps: Dict[str, str], only_with_fragments: bool = False):
    for project in projects():
        if only_with_fragments and not any(expected_findings(project).values()):
            continue
        gap = gaps.get(project.name)
        marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
        yield pytest.param(project, id=project.name, marks=marks)


@pytest.mark.parametrize("project", list(_params(KNOWN_GAPS)))
def test_project_findings_are_exactly_the_expected_ones(project):
    assert set(reported_findings(project)) == set(expected_findings(project))


# A project that misses a finding cannot show its message either: its known gap holds here too.
@pytest.mark.parametrize("project", list(_params({**KNOWN_GAPS, **MESSAGE_GAPS}, only_with_fragments=True)))
def test_messages_say_how_often_and_where_from(project):
    reported = reported_findings(project)
    for site, fragments in expected_findings(project).items():
        assert site in reported, f"{site} is not reported"
        missing = [fragment for fragment in fragments if fragment not in reported[site]]
        assert not missing, f"{site}: {missing} not in {reported[site]!r}"


def project_classes(project: Path) -> Set[int]:
    first = (project / "expected").read_text().splitlines()[0]
    match = re.fullmatch(r"# issue 11 classes: ([1-7](?: [1-7])*)", first)
    assert match, f"{project.name}/expected must start with the issue 11 classes it exercises"
    return {int(number) for number in match.group(1).split()}


def test_every_project_is_a_real_multi_file_program():
    names = {project.name for project in projects()}
    assert len(names) >= 30
    assert set(KNOWN_GAPS) | set(MESSAGE_GAPS) <= names
    for project in projects():
        assert (project / "expected").is_file(), project.name
        assert len(list(project.rglob("*.py"))) >= 2, project.name


def test_every_shape_of_real_code_has_problems_and_clean_programs():
    """Each of the seven shapes appears in a project that expects findings and in one that expects none (the
    same shapes on small data, already batched, or in tiny loops), besides the negatives inside every project."""
    with_findings: Dict[int, List[str]] = {}
    clean: Dict[int, List[str]] = {}
    for project in projects():
        kind = with_findings if expected_findings(project) else clean
        for number in project_classes(project):
            kind.setdefault(number, []).append(project.name)
    for number in ISSUE_CLASSES:
        assert with_findings.get(number), f"no project with findings exercises class {number}"
        assert clean.get(number), f"no clean project exercises class {number}"
