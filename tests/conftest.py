import textwrap

import pytest

from tflint_bnn.engine import Linter
from tflint_bnn.settings import Settings


@pytest.fixture
def lint():
    """lint(source, **settings) -> findings, with the source dedented."""

    def run(source: str, **options):
        return Linter(Settings(**options)).lint(textwrap.dedent(source))

    return run


@pytest.fixture
def codes(lint):
    def run(source: str, **options):
        return [f.code for f in lint(source, **options)]

    return run


@pytest.fixture
def fix():
    def run(source: str, unsafe: bool = True, **options):
        return Linter(Settings(**options)).fix(textwrap.dedent(source), unsafe_fixes=unsafe)

    return run
