"""The runtime fix-equivalence suite: every program in programs/ runs as written, after `tflint-bnn --fix` and
after `--fix --unsafe-fixes` (equivalence_harness.py). Safe fixes must keep every recorded result; unsafe fixes
must run where the original ran. One run of the harness (a few minutes on 2 cores) serves all the tests below.

Known failures are listed in KNOWN_FAILURES with the repro class from issue 10 they belong to; they are strict
xfails, so a fix that starts working turns them into failures until the entry is removed.
"""

import importlib.util
import re

import pytest

import equivalence_harness as harness
from tflint_bnn.rules import ALL_RULES

pytestmark = [
    pytest.mark.validate,
    pytest.mark.skipif(
        importlib.util.find_spec("tensorflow") is None,
        reason="TensorFlow is not installed: pip install -e '.[validate]' to run the fix-equivalence suite",
    ),
]

# program -> {"safe" | "unsafe": why it fails today}
KNOWN_FAILURES = {
}
# Every reproduction in the fix-repros folder has a program named after it (`_r01_` ...).
REPROS = [f"r{number:02d}" for number in range(1, 15)]

PROGRAMS = harness.programs()


def with_known_failure(kind):
    params = []
    for program in PROGRAMS:
        reason = KNOWN_FAILURES.get(program.name, {}).get(kind)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(program, marks=marks, id=program.name))
    return params


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    return harness.run_suite(tmp_path_factory.mktemp("fix-equivalence"), PROGRAMS)


def original_result(suite, program):
    entry = suite.results["original"][program.name]
    if entry["status"] == "skipped":
        pytest.skip(entry["error"])
    return entry


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda program: program.name)
def test_program_runs_as_written(suite, program):
    entry = original_result(suite, program)
    if program.original_fails:
        assert entry["status"] == "error", "the program was meant to fail as written"
    else:
        assert entry["status"] == "ok", entry.get("traceback")
        assert entry["records"], "the program records nothing to compare"


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda program: program.name)
def test_program_gets_the_findings_it_is_written_for(suite, program):
    codes = {finding["code"] for finding in suite.findings[program.name]}
    missing = [expected for expected in program.expects if not set(expected.split("|")) & codes]
    assert missing == [], suite.findings[program.name]


@pytest.mark.parametrize("program", with_known_failure("safe"))
def test_safe_fixes_keep_every_result(suite, program):
    original_result(suite, program)
    assert harness.safe_problems(suite, program) == [], suite.sources["safe"][program.name]


@pytest.mark.parametrize("program", with_known_failure("unsafe"))
def test_unsafe_fixes_run(suite, program):
    original_result(suite, program)
    assert harness.unsafe_problems(suite, program) == [], suite.sources["unsafe"][program.name]


def test_fixed_programs_do_not_import_the_linter(suite):
    for mode in ("safe", "unsafe"):
        for name, source in suite.sources[mode].items():
            assert not re.search(r"^\s*(import|from)\s+tflint_bnn", source, re.MULTILINE), (mode, name)


def test_a_second_fix_changes_nothing(suite):
    assert suite.refixed == []


def test_every_rule_with_a_fix_has_one_applied_here(suite):
    applied = {finding["code"] for findings in suite.findings.values() for finding in findings if finding["fix"]}
    with_fixes = {rule.code for rule in ALL_RULES if rule.fix_safety}
    assert with_fixes - applied == set()


def test_every_reproduction_has_a_program():
    named = {match for program in PROGRAMS for match in re.findall(r"_(r\d\d)_", program.name)}
    assert [repro for repro in REPROS if repro not in named] == []
