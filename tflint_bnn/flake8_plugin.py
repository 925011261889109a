"""The flake8 plugin (entry point `TFB` in `flake8.extension`): a thin adapter over the same `Linter` as the CLI.

Each file is checked within its project (`project.py`): the other files under its root are summarised once per
flake8 process, so findings that come from another module are reported as the CLI reports them.

flake8 reads the file (or stdin), builds the AST, applies `# noqa` comments (so `--disable-noqa` works) and
`--per-file-ignores`, and prints 1-based columns; this module only turns flake8's source lines, tree and options
into one `lint_in_project` call. Nothing here imports flake8 at import time: flake8 stays an optional dependency (the
`flake8` extra), and only flake8 ever calls `add_options` / `parse_options`.
"""

from __future__ import annotations

import argparse
import ast
import gc
import logging
from pathlib import Path
from typing import Any, ClassVar, Iterator, Sequence, Tuple

from tflint_bnn import __version__
from tflint_bnn.engine import ParseError
from tflint_bnn.project import lint_in_project
from tflint_bnn.rules import RULES_BY_CODE
from tflint_bnn.settings import Settings

LOG = logging.getLogger(__name__)
# Python's last-resort handler prints warnings to stderr when nobody configured logging (flake8 does so only with
# -v, and only for its own logger): a file the plugin cannot check is named there, as the CLI names it.

Result = Tuple[int, int, str, type]
# An exception raised by a plugin aborts the whole flake8 run (a traceback, and no results for any file), so a file
# the plugin fails on gets this one diagnostic at 1:1 instead; flake8's --select and --extend-ignore treat it as a TFB
# code like the others. Not a rule: the CLI reports the same failure as an error line naming the file.
INTERNAL_ERROR_CODE = "TFB000"


class Flake8Plugin:
    """flake8 picks the plugin's inputs by its parameter names: `tree` makes it an AST plugin."""

    name = "tflint-bnn"
    version = __version__
    # The settings of every file of the run; `parse_options` replaces them with flake8's options.
    settings: ClassVar[Settings] = Settings()

    def __init__(self, tree: ast.AST, lines: Sequence[str], filename: str):
        self.tree = tree
        self.lines = lines  # flake8's lines, not a re-read of the file, so stdin (`flake8 -`) works
        self.filename = filename  # `--stdin-display-name` for stdin

    def run(self) -> Iterator[Result]:
        """Findings as flake8 wants them: (row, 0-based column, "CODE message", type); flake8 adds 1 to the column."""
        try:
            path = Path(self.filename)
            findings = lint_in_project(self.settings, path if path.is_file() else None, "".join(self.lines),
                                       tree=self.tree, line_noqa=False, fixes=False)
        except ParseError as error:
            # flake8 reports real syntax errors itself (E999) and never calls an AST plugin for them; what is left
            # is a file over the analysis' size limit, or one LibCST cannot parse: not checked, said on stderr.
            LOG.warning("%s: not checked by tflint-bnn: %s", self.filename, error)
            return
        except Exception as error:  # RecursionError, MemoryError or a bug in a rule: see INTERNAL_ERROR_CODE
            yield 1, 0, (f"{INTERNAL_ERROR_CODE} tflint-bnn could not check this file ({type(error).__name__}: "
                         f"{_one_line(error)}); please report it"), type(self)
            return
        _keep_out_of_collections()
        for finding in findings:
            row, column = finding.start
            yield row, column, f"{finding.code} {finding.message}", type(self)

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        option_manager.add_option(
            "--tflint-batch-rows", type=int, default=Settings.batch_rows, parse_from_config=True, metavar="N",
            help="rows above which a forward pass is full-batch (default: %(default)s)")
        # flake8 reads a config value as a boolean only for store_true / store_false options, so the setting is a
        # store_true (`tflint-assume-loaded-arrays-large = false` in a config file) with a --no- form for the CLI.
        option_manager.add_option(
            "--tflint-assume-loaded-arrays-large", action="store_true", default=Settings.assume_loaded_arrays_large,
            parse_from_config=True,
            help="count arrays read from disk (np.load, pandas, h5py) as larger than the batch rows "
                 "(the default; `tflint-assume-loaded-arrays-large = false` in the config turns it off)")
        option_manager.add_option(
            "--no-tflint-assume-loaded-arrays-large", action="store_false", default=Settings.assume_loaded_arrays_large,
            dest="tflint_assume_loaded_arrays_large", help="do not count arrays read from disk as large")

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        if options.tflint_batch_rows < 1:
            from flake8.exceptions import ExecutionError  # flake8 is there: only flake8 calls this

            raise ExecutionError(f"--tflint-batch-rows must be a positive integer, not {options.tflint_batch_rows}")
        cls.settings = Settings(select=_reported_rules(options), batch_rows=options.tflint_batch_rows,
                                assume_loaded_arrays_large=options.tflint_assume_loaded_arrays_large)


def _reported_rules(options: argparse.Namespace) -> Tuple[str, ...]:
    """The rules whose findings flake8 reports (its --select, --ignore and their extend- forms): only they run.

    As in the CLI, a rule flake8 leaves out neither costs time nor supersedes another rule's finding (TFB201 drops
    TFB101 at the same call), and `flake8 --select E` does no work here at all. A rule that is off by default runs
    only when named in full, as with the CLI's `--select`. flake8 still applies --per-file-ignores and `# noqa`.
    """
    try:  # flake8's own decision logic: not a documented plugin API, so a flake8 that moves it loses only the
        # rule pruning below (flake8 still filters what is reported), never the plugin
        from flake8.style_guide import Decision, DecisionEngine

        decision_for = DecisionEngine(options).decision_for
    except (ImportError, AttributeError, TypeError):
        return tuple(code for code, rule in RULES_BY_CODE.items() if rule.default_enabled)
    named = {*(options.select or ()), *(options.extend_select or ())}
    return tuple(code for code, rule in RULES_BY_CODE.items()
                 if decision_for(code) is Decision.Selected and (rule.default_enabled or code in named))


def _keep_out_of_collections() -> None:
    """Move what is alive now (the project's summaries and facts, kept to the end of the run) out of the
    collector's sight. Between two files flake8 allocates as usual, and each full collection walked every summary
    again: 8.5 of 24 s of a run on 300 files. Frozen objects are still freed by reference counting; a garbage cycle
    alive at a freeze stays to the end of the run (80 MiB on those 300 files). flake8 runs end after their files;
    the language server, which runs for hours and replaces its programs, does not freeze."""
    gc.freeze()


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text[:200] + "..." if len(text) > 200 else text
