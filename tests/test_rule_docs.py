"""Every rule ships documented: the page exists, has ruff's sections, and its examples behave as they say."""

import re
from pathlib import Path

import pytest

from tflint_bnn.docs import rule_doc
from tflint_bnn.engine import Linter
from tflint_bnn.rules import ALL_RULES
from tflint_bnn.settings import Settings

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"
SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix safety",
            "## Options", "## References"]
LINTER = Linter(Settings())


def section(text: str, heading: str) -> str:
    start = text.index(heading) + len(heading)
    following = text.find("\n## ", start)
    return text[start:following if following != -1 else len(text)]


def python_block(text: str) -> str:
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) == 1, "one python example per section"
    return blocks[0]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_doc_has_every_section_in_order(rule):
    text = (DOCS / f"{rule.code}.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {rule.code} {rule.name}\n")
    positions = [text.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)
    assert re.search(r"\d", section(text, "## Why is this bad?")), "the why quotes a measured number"
    assert rule_doc(rule.code) == text  # what --explain prints


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_doc_example_is_flagged_and_use_instead_is_not(rule):
    text = (DOCS / f"{rule.code}.md").read_text(encoding="utf-8")
    example = python_block(section(text, "## Example"))
    instead = python_block(section(text, "## Use instead"))
    assert rule.code in [f.code for f in LINTER.lint(example)]
    assert rule.code not in [f.code for f in LINTER.lint(instead)]


def test_no_orphan_docs():
    assert {p.stem for p in DOCS.glob("TFB*.md")} == {rule.code for rule in ALL_RULES}
