"""Trust, generated programs: the linter never crashes, fixed output parses, and fixing twice changes nothing.

Two sources of programs, both derandomized so CI sees the same examples on every run:

* grammar-generated programs (hypothesmith), behind a TensorFlow import so the prefilter lets them through;
* programs assembled from our own rule examples: top-level statements drawn from every rule's VALID and INVALID
  snippets, shuffled, repeated and nested inside functions, loops, tapes, `tf.function`s and classes.
"""

from __future__ import annotations

import ast
import textwrap
from typing import List, Tuple

import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tflint_bnn.engine import Linter, ParseError
from tflint_bnn.rules import ALL_RULES
from tflint_bnn.settings import Settings

LINTER = Linter(Settings(unsafe_fixes=True))
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=list(HealthCheck))


def check_properties(source: str) -> Tuple[int, bool]:
    """The trust properties for one program; returns (findings, whether fix changed it)."""
    try:
        findings = LINTER.lint(source)
    except ParseError as error:  # invalid code is an expected, clean outcome: one line, no traceback
        assert "\n" not in str(error)
        with pytest.raises(ParseError):
            LINTER.fix(source, unsafe_fixes=True)
        return 0, False
    result = LINTER.fix(source, unsafe_fixes=True)
    assert result.error is None, f"a fix produced invalid code:\n{source}"
    if result.text == source:
        assert result.applied == []
        return len(findings), False
    assert result.applied, "the text changed but no fix is reported as applied"
    cst.parse_module(result.text)
    ast.parse(result.text)
    again = LINTER.fix(result.text, unsafe_fixes=True)
    assert again.text == result.text, f"fix is not idempotent:\n--- input\n{source}\n--- first fix\n{result.text}"
    assert again.applied == []
    assert [f.code for f in again.remaining] == [f.code for f in result.remaining]
    return len(findings), True


# ---- grammar-generated programs -----------------------------------------------------------------------------

TF_IMPORT = "import tensorflow as tf\n"


@FUZZ
@given(program=hypothesmith.from_grammar())
def test_grammar_generated_programs(program):
    check_properties(TF_IMPORT + program)


@settings(FUZZ, max_examples=60)
@given(program=hypothesmith.from_node())
def test_libcst_generated_programs(program):
    check_properties(TF_IMPORT + program)


# ---- programs built from the rules' own examples ------------------------------------------------------------

def _split(source: str) -> Tuple[List[str], List[str]]:
    """Top-level statements of one snippet, as source text (decorators included): (imports, others)."""
    lines = source.splitlines(keepends=True)
    imports, others = [], []
    for node in ast.parse(source).body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        text = "".join(lines[first - 1:node.end_lineno])
        (imports if isinstance(node, (ast.Import, ast.ImportFrom)) else others).append(text)
    return imports, others


def _snippets() -> Tuple[List[str], List[str]]:
    imports, statements = {}, {}
    for rule in ALL_RULES:
        for source in list(rule.VALID) + [case.code for case in rule.INVALID]:
            found_imports, found = _split(source)
            imports.update(dict.fromkeys(found_imports))
            statements.update(dict.fromkeys(found))
    return sorted(imports), sorted(statements)


IMPORTS, STATEMENTS = _snippets()
# Headers that put a statement in another context: each one changes what a rule sees (loop, tape, graph, scope).
WRAPPERS = (
    "def _f{n}(model, x_test):\n",
    "def _g{n}():\n",
    "for _i{n} in range(3):\n",
    "while _running:\n",
    "with tf.GradientTape() as _tape{n}:\n",
    "if _running:\n",
    "@tf.function\ndef _h{n}(x):\n",
    "class _C{n}:\n    def call(self, x):\n",
    "try:\n",
)


def _wrap(statement: str, headers: List[str], n: int) -> str:
    for depth, header in enumerate(reversed(headers)):
        last = header.rstrip("\n").splitlines()[-1]
        body = textwrap.indent(statement, " " * (len(last) - len(last.lstrip()) + 4))
        statement = header.format(n=f"{n}_{depth}") + body
        if header == "try:\n":
            statement += "except Exception:\n    pass\n"
    return statement


@st.composite
def snippet_programs(draw) -> str:
    imports = draw(st.lists(st.sampled_from(IMPORTS), min_size=len(IMPORTS) - 2, max_size=len(IMPORTS),
                            unique=True))
    chosen = draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=8))
    parts = []
    for n, statement in enumerate(chosen):
        headers = draw(st.lists(st.sampled_from(WRAPPERS), max_size=2))
        parts.append(_wrap(statement, headers, n))
    return "".join(sorted(imports)) + "_running = True\n" + "\n".join(parts)


def test_snippet_pool_is_large():
    """Guards the generator: it draws from every rule's examples, not from a handful of statements."""
    assert len(STATEMENTS) > 100 and any("import tensorflow" in line for line in IMPORTS)
    for rule in ALL_RULES:
        assert any(_split(case.code)[1][-1] in STATEMENTS for case in rule.INVALID), rule.code


def test_snippet_programs_reach_fixes():
    """The generated programs do exercise fixes (else the property test below would prove little)."""
    changed = 0
    for rule in ALL_RULES:
        for case in rule.INVALID:
            imports, statements = _split(case.code)
            program = "".join(imports) + "_running = True\n" + "".join(
                _wrap(s, ["def _g{n}():\n"], i) for i, s in enumerate(statements))
            changed += check_properties(program)[1]
    assert changed >= 5


@FUZZ
@given(program=snippet_programs())
def test_programs_built_from_rule_examples(program):
    ast.parse(program)  # the generator only builds valid programs
    check_properties(program)


@settings(FUZZ, max_examples=100)
@given(program=snippet_programs(), code=hypothesmith.from_grammar(), where=st.floats(0, 1))
def test_programs_mixing_rule_examples_and_grammar_code(program, code, where):
    """Arbitrary code among the examples: the analysis sees odd syntax next to real models and loops."""
    statements = program.split("\n\n")
    statements.insert(round(where * len(statements)), code)
    check_properties("\n\n".join(statements))
