"""The project around one file, for the front ends that check a file at a time (the flake8 plugin, the language
server): the other Python files under the project's root are summarised as the CLI summarises them, so a finding
the CLI draws from another module (a model built in model.py, the loop in train.py) appears there too.

One `ProjectSummaries` per process keeps every summary with the file's size and mtime and re-reads only what
changed: flake8's next file and the server's next keystroke cost a directory walk and a stat per file. The
summaries come from the same map step and on-disk cache as the CLI's (`runner.summarise_file`).
"""

from __future__ import annotations

import ast
import hashlib
import logging
from dataclasses import replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from tflint_bnn.analysis.summary import ModuleSummary
from tflint_bnn.cache import SummaryCache
from tflint_bnn.discovery import discover, relative_to_root
from tflint_bnn.engine import Linter, summarise
from tflint_bnn.environment import DeclaredKeras
from tflint_bnn.files import SourceError, read_source
from tflint_bnn.findings import Finding
from tflint_bnn.notebooks import shell_lines
from tflint_bnn.program.facts import ProgramFacts
from tflint_bnn.runner import Job, Mode, fewer_collections, summarise_file
from tflint_bnn.settings import Settings

LOG = logging.getLogger(__name__)
# Beyond this many files (a home directory, a monorepo) a file is checked on its own: a walk and a summary of
# every file there would cost more than the check is worth in an editor.
MAX_PROJECT_FILES = 3000
ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".flake8", ".git")


def project_root(path: Path, settings: Settings) -> Path:
    """The configured root when the file lies under it, else the nearest directory holding a project marker."""
    resolved = path.resolve()
    if settings.root is not None and resolved.is_relative_to(settings.root.resolve()):
        return settings.root.resolve()
    for parent in resolved.parents:
        if any((parent / marker).exists() for marker in ROOT_MARKERS):
            return parent
    return resolved.parent


class ProjectSummaries:
    def __init__(self) -> None:
        # file -> (stamp, summary, the notebook's shell lines: `!pip install` pins decide its Keras)
        self._summaries: Dict[Path, Tuple[Tuple[int, int], ModuleSummary, Tuple[str, ...]]] = {}
        self._facts: Dict[Path, Tuple[tuple, ProgramFacts]] = {}
        self._too_big: set = set()
        # root -> (every file's (path, stamp), the key of the project's contents then)
        self._contents: Dict[Path, Tuple[tuple, Optional[str]]] = {}

    def facts_for(self, path: Path, text: str, settings: Settings) -> Optional[Tuple[str, ProgramFacts]]:
        """(the file's name in the program, the program with `text` as that file's source); None when the file
        is checked on its own (no project around it, or one too big to read)."""
        root, settings, files = self._project(path, settings)
        if files is None:
            return None
        job = Job(settings, Mode.CHECK, SummaryCache.open(root))
        here = path.resolve()
        modules: Dict[str, ModuleSummary] = {}
        state = []
        for file in files:
            summary, stamp = self._summary(file, job)
            if summary is not None:
                modules[relative_to_root(file, root)] = summary
                state.append((file, stamp, summary.declared_keras2))
        name = relative_to_root(here, root)
        if name in modules and self._unchanged_on_disk(here, text):
            key = tuple(state)
            cached = self._facts.get(root)
            if cached is None or cached[0] != key:
                cached = self._facts[root] = (key, ProgramFacts(modules, settings.assume_loaded_arrays_large))
            return name, cached[1]
        modules[name] = replace(summarise(text, name), declared_keras2=job.declared.keras2(here))  # an unsaved
        # editor buffer: this text, not the file's
        return name, ProgramFacts(modules, settings.assume_loaded_arrays_large)

    def stored_findings(self, path: Path, text: str, settings: Settings, call: str
                        ) -> Optional[Tuple[SummaryCache, str]]:
        """Where the findings of the saved file `path` are kept for this exact project (every file's bytes, the
        settings, the tool) and `call` (what else they depend on): the cache and the entry's key; None for an
        unsaved buffer, a file checked on its own, or an unreadable project. flake8 and pre-commit check unchanged
        projects again and again: a kept answer spares reading the summaries and asking the evaluator."""
        root, settings, files = self._project(path, settings)
        here = path.resolve()
        if files is None or here not in files or not self._unchanged_on_disk(here, text):
            return None
        cache = SummaryCache.open(root)
        if cache is None:
            return None
        files = [*files, *DeclaredKeras(root).requirement_files(files)]
        state = tuple((file, _stamp(file)) for file in files)
        known = self._contents.get(root)
        if known is None or known[0] != state:  # read every file again only when one of them changed
            known = self._contents[root] = (state, cache.run_key(settings, files))
        if known[1] is None:
            return None
        name = relative_to_root(here, root)
        return cache, hashlib.sha256(f"{known[1]}\0{name}\0{call}".encode()).hexdigest()

    def _project(self, path: Path, settings: Settings) -> Tuple[Path, Settings, Optional[List[Path]]]:
        """The file's project: its root, the settings there (module names and excludes are relative to the
        root), and its files (None: too many to read)."""
        root = project_root(path, settings)
        settings = replace(settings, root=root)
        return root, settings, self._files(root, settings)

    def _files(self, root: Path, settings: Settings) -> Optional[List[Path]]:
        files: List[Path] = []
        for entry in discover([root], settings):
            if isinstance(entry, Path):
                files.append(entry.resolve())
                if len(files) > MAX_PROJECT_FILES:
                    if root not in self._too_big:
                        self._too_big.add(root)
                        LOG.warning("%s holds over %d Python files: each file is checked on its own, without the "
                                    "rest of the project", root, MAX_PROJECT_FILES)
                    return None
        return files

    def _summary(self, file: Path, job: Job) -> Tuple[Optional[ModuleSummary], Tuple[int, int]]:
        stamp = _stamp(file)
        if stamp is None:
            return None, (0, 0)
        known = self._summaries.get(file)
        if known is not None and known[0] == stamp and known[1].declared_keras2 == job.declared.keras2(file, known[2]):
            return known[1], stamp  # the file, and the Keras version its requirements declare, as they were
        summarised = summarise_file(file, job)
        if summarised.summary is None:
            return None, stamp
        self._summaries[file] = (stamp, summarised.summary, shell_lines(summarised.source))
        return summarised.summary, stamp

    @staticmethod
    def _unchanged_on_disk(path: Path, text: str) -> bool:
        """Whether `text` is the saved file (flake8 reads it; an editor buffer may differ)."""
        try:
            return read_source(path).text == text
        except SourceError:
            return False


def _stamp(file: Path) -> Optional[Tuple[int, int]]:
    try:
        status = file.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


PROJECT = ProjectSummaries()  # one per process: flake8's workers and the language server each keep theirs


def linter_in_project(settings: Settings, path: Optional[Path], text: str) -> Tuple[Linter, Optional[ProgramFacts]]:
    """A Linter for `text` as the file at `path` within its project, and the project's facts (None: on its own).
    `Linter.check(facts, ...)` gives the findings; `Linter.fix` sees the same project."""
    with fewer_collections():
        found = PROJECT.facts_for(path, text, settings) if path is not None else None
    if found is None:
        return Linter(settings), None
    name, facts = found
    others = {module: summary for module, summary in facts.modules.items() if module != name}
    return Linter(settings, program=others, path=name), facts


def lint_in_project(settings: Settings, path: Optional[Path], text: str, ignored_codes: Sequence[str] = (),
                    tree: Optional[ast.Module] = None, line_noqa: bool = True, fixes: bool = True) -> List[Finding]:
    """`Linter.lint` for one file, seeing the project around it as the CLI does. Without fixes (flake8), the
    findings of a saved file are kept in the project's cache and reused while no file of the project changes."""
    stored = PROJECT.stored_findings(path, text, settings, repr((tuple(ignored_codes), line_noqa))) \
        if path is not None and not fixes else None
    if stored is not None:
        kept = stored[0].get_run(stored[1])
        try:
            if kept is not None:
                return [Finding.from_json(finding) for finding in kept]
        except (KeyError, TypeError, ValueError):
            pass  # another shape: computed again and replaced
    linter, facts = linter_in_project(settings, path, text)
    with fewer_collections():
        if facts is None:
            findings = linter.lint(text, ignored_codes, tree, line_noqa, fixes)
        else:
            findings = linter.check(facts, text, ignored_codes, line_noqa, fixes)
    if stored is not None and facts is not None:
        stored[0].put_run(stored[1], [finding.to_json() for finding in findings])
    return findings
