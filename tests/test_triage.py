"""Triage (prefilter + CPython ast facts) must never lose a finding: both paths agree over the test corpus."""

import ast
import re
import textwrap
from pathlib import Path

import pytest

from tflint_bnn.engine import Linter, ParseError
from tflint_bnn.rules import ALL_RULES
from tflint_bnn.settings import Settings
from tflint_bnn.triage import ast_facts

ROOT = Path(__file__).resolve().parents[1]


def corpus():
    """Every rule example, fixture and doc example, and every code snippet written in the tests."""
    sources = [source for rule in ALL_RULES for source in rule.VALID]
    sources += [case.code for rule in ALL_RULES for case in rule.INVALID]
    sources += [case.fixed for rule in ALL_RULES for case in rule.INVALID if case.fixed]
    sources += [path.read_text() for path in sorted((ROOT / "fixtures").rglob("*.py"))]
    for doc in sorted((ROOT / "docs" / "rules").glob("*.md")):
        sources += re.findall(r"```python\n(.*?)```", doc.read_text(), flags=re.DOTALL)
    for test in sorted((ROOT / "tests").glob("test_*.py")):
        sources += _snippets(ast.parse(test.read_text()))
    return [source for source in sources if _parses(source)]


def _snippets(tree):
    """String constants that are code, and each other string appended to the module's PRELUDE if it has one."""
    strings = [textwrap.dedent(n.value) for n in ast.walk(tree) if isinstance(n, ast.Constant)
               and isinstance(n.value, str) and "\n" in n.value]
    preludes = [textwrap.dedent(n.value.value) for n in tree.body if isinstance(n, ast.Assign)
                and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                and any(isinstance(t, ast.Name) and t.id == "PRELUDE" for t in n.targets)]
    return [s for s in strings if "import " in s] + [p + s for p in preludes for s in strings if "import " not in s]


def _parses(source):
    try:
        ast.parse(source)
        return True
    except SyntaxError:
        return False


def findings(linter, source):
    try:
        return [(f.code, f.start, f.end, f.message, f.fix) for f in linter.lint(source)]
    except ParseError as error:
        return str(error)


@pytest.mark.parametrize("options", [{}, {"batch_rows": 100}, {"assume_loaded_arrays_large": False}],
                         ids=["defaults", "small-batch-rows", "loaded-not-large"])
def test_triage_keeps_every_finding(options):
    sources = corpus()
    assert len(sources) > 150
    with_triage, without = Linter(Settings(**options)), Linter(Settings(**options), triage=False)
    flagged = 0
    for source in sources:
        expected = findings(without, source)
        assert findings(with_triage, source) == expected, source
        flagged += bool(expected)
    assert flagged > 40  # the corpus really exercises the rules


def test_folded_constants_bound_row_counts():
    facts = ast_facts("N = 32\nM = N * 64\nK, L = 10, 2000 - 5\nshape = (int(1e5), 3)\n")
    assert facts.largest_int >= 100_000
    assert ast_facts("B = 512\nx = np.zeros((B + B + 1, 3))\n").largest_int >= 1025
    assert ast_facts("import numpy as np\nnp.random.seed(123456)\nmodel.fit(x, epochs=5000)\n").largest_int == 0
    assert ast_facts("from keras import layers\nlayers.Dense(4096)\n").largest_int == 0  # units are not rows
    assert not ast_facts("for i in range(10):\n    y = i + 1\n").may_exceed(1024)
    two_parts = "import numpy as np\na = np.zeros((600, 3))\nnp.concatenate([a, a])\n"
    assert ast_facts(two_parts).may_exceed(1024) and not ast_facts(two_parts.replace("600", "500")).may_exceed(1024)


@pytest.mark.parametrize("source, reads", [
    ("import numpy as np\nx = np.load('a.npy')\n", True),
    ("from pandas import read_csv as rc\nx = rc('a.csv')\n", True),
    ("import numpy\nxp = numpy\nx = xp.loadtxt('a.txt')\n", True),
    ("import h5py\nf = h5py.File('a.h5')\n", True),
    ("import json\nx = json.load(open('a.json'))\n", False),
    ("x = self.load('weights')\n", False),
])
def test_reads_from_disk_follows_imports(source, reads):
    assert ast_facts(source).reads_from_disk is reads


def test_modules_without_candidates_skip_libcst(monkeypatch):
    import tflint_bnn.engine as engine

    parsed = []
    monkeypatch.setattr(engine, "parse", lambda text: parsed.append(text) or (_ for _ in ()).throw(AssertionError))
    library_code = "import tensorflow as tf\n\ndef relu(x):\n    return tf.maximum(x, 0.0)\n"
    assert Linter(Settings()).lint(library_code) == [] and parsed == []
