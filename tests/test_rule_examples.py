"""Each rule's VALID / INVALID examples (Fixit style) are its first tests: the examples are the docs too."""

import pytest

from tflint_bnn.engine import Linter, parse
from tflint_bnn.rules import ALL_RULES
from tflint_bnn.settings import Settings

LINTER = Linter(Settings())

VALID = [pytest.param(rule, source, id=f"{rule.code}-valid-{i}") for rule in ALL_RULES
         for i, source in enumerate(rule.VALID)]
INVALID = [pytest.param(rule, case, id=f"{rule.code}-invalid-{i}") for rule in ALL_RULES
           for i, case in enumerate(rule.INVALID)]


def test_every_rule_has_positive_and_negative_examples():
    for rule in ALL_RULES:
        assert len(rule.VALID) >= 3, rule.code
        assert len(rule.INVALID) >= 2, rule.code


@pytest.mark.parametrize("rule, source", VALID)
def test_valid_examples_are_not_flagged(rule, source):
    assert rule.code not in [f.code for f in LINTER.lint(source)]


@pytest.mark.parametrize("rule, case", INVALID)
def test_invalid_examples_are_flagged(rule, case):
    assert [f.code for f in LINTER.lint(case.code)].count(rule.code) == 1


@pytest.mark.parametrize("rule, case", INVALID)
def test_invalid_examples_fix_as_documented(rule, case):
    finding = next(f for f in LINTER.lint(case.code) if f.code == rule.code)
    if case.fixed is None:
        assert finding.fix is None
        return
    assert finding.fix is not None
    result = LINTER.fix(case.code, unsafe_fixes=True)
    assert result.error is None
    assert result.text == case.fixed
    parse(result.text)
    assert rule.code not in [f.code for f in result.remaining]
    assert LINTER.fix(result.text, unsafe_fixes=True).text == result.text  # idempotent
