"""No rule ships undocumented: `tflint-bnn rules` lists every rule truthfully, and each code has a doc page, tests and
a row in the README table that agree with the rule itself."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tflint_bnn.engine import Linter
from tflint_bnn.findings import Applicability
from tflint_bnn.rules import ALL_RULES
from tflint_bnn.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
LINTER = Linter(Settings())
_LOADED_MODEL = """import numpy as np
import tf_keras as keras
x_test = np.zeros((10_000, 8), dtype="float32")
"""
# Fixes the INVALID examples do not show: unsafe ones, where per-row results may change.
UNSAFE_EVIDENCE = {
    # The model's layers are not visible (loaded from disk): batching is unsafe if a layer mixes rows.
    "TFB101": _LOADED_MODEL + 'model = keras.models.load_model("model.keras")\nprobs = model(x_test)\n',
    # A function called in the loop changes an array the tf.function captures: a function made once, before the
    # loop, would keep the first values.
    "TFB303": "import numpy as np\nimport tensorflow as tf\nweights = np.ones(3)\n\ndef reweight(epoch):\n"
              "    weights[0] = epoch + 1.0\n\nfor epoch in range(3):\n    reweight(epoch)\n"
              "    scorer = tf.function(lambda t: tf.reduce_sum(t * weights))\n    print(scorer(tf.ones((4, 3))))\n",
}


def run_cli(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tflint_bnn", *arguments], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def observed_fix_safety(rule) -> set:
    sources = [case.code for case in rule.INVALID] + [UNSAFE_EVIDENCE.get(rule.code, "")]
    return {finding.fix.applicability for source in sources for finding in LINTER.lint(source)
            if finding.code == rule.code and finding.fix is not None}


def test_rules_json_lists_every_rule_with_its_fix_safety_and_url():
    result = run_cli("rules", "--output-format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["code"] for row in rows] == [rule.code for rule in ALL_RULES]
    for row, rule in zip(rows, ALL_RULES):
        assert row["name"] == rule.name and row["summary"] == rule.summary
        assert row["fix"] == (" or ".join(a.value for a in rule.fix_safety) or "none")
        assert row["default"] == "on"
        assert row["url"].endswith(f"/docs/rules/{rule.code}.md")


def test_rules_text_is_an_aligned_table_with_one_line_per_rule():
    result = run_cli("rules")
    assert result.returncode == 0, result.stderr
    header, *lines = result.stdout.splitlines()
    assert header.split() == ["code", "name", "fix", "default", "summary"]
    assert len(lines) == len(ALL_RULES)
    for line, rule in zip(lines, ALL_RULES):
        assert line.startswith(rule.code + "  ") and f"  {rule.name}  " in line and line.endswith(rule.summary)
        assert line.index(rule.name) == header.index("name")  # columns line up


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_declared_fix_safety_is_what_the_rule_does(rule):
    assert observed_fix_safety(rule) == set(rule.fix_safety)
    has_fixed_example = any(case.fixed is not None for case in rule.INVALID)
    assert has_fixed_example == bool(rule.fix_safety), "a rule with fixes shows one in its examples, and only then"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_code_has_a_doc_tests_and_a_readme_row(rule):
    assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()
    assert run_cli("--explain", rule.code.lower()).stdout.startswith(f"# {rule.code} {rule.name}\n")
    assert rule.VALID and rule.INVALID  # run by test_rule_examples.py
    behaviour_tests = [path.name for path in TESTS.glob("test_rules_*.py") if rule.code in path.read_text()]
    assert behaviour_tests, f"no tests/test_rules_*.py mentions {rule.code}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = re.search(rf"^\| \[{rule.code}\]\(docs/rules/{rule.code}\.md\) \| (.*) \|$", readme, flags=re.M)
    assert row is not None, f"README table has no row for {rule.code}"
    cells = row.group(1).split(" | ")
    assert cells[0] == rule.name
    assert cells[-1] == (" or ".join(a.value for a in rule.fix_safety) or "none")


def test_explain_unknown_code_is_a_usage_error():
    result = run_cli("--explain", "TFB999")
    assert result.returncode == 2 and "unknown rule code" in result.stderr


def test_a_rule_off_by_default_runs_only_when_its_full_code_is_selected():
    assert not Settings().is_enabled("TFB999", default_enabled=False)
    assert not Settings(select=("TFB9",)).is_enabled("TFB999", default_enabled=False)
    assert Settings(extend_select=("TFB999",)).is_enabled("TFB999", default_enabled=False)
    assert not Settings(select=("TFB999",), ignore=("TFB999",)).is_enabled("TFB999", default_enabled=False)
    assert Settings().is_enabled("TFB999")


def test_unsafe_evidence_really_is_unsafe():
    for code, source in UNSAFE_EVIDENCE.items():
        findings = [f for f in LINTER.lint(source) if f.code == code]
        assert findings and findings[0].fix.applicability is Applicability.UNSAFE
