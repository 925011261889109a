"""Checking files as one program: summarise every file (in worker processes when there are many), solve the
program once, then check (or fix) each file against it.

`summarise_files` is the map step: it reads each file and turns it into a ModuleSummary, reusing the summary
cache; it is pure apart from reading files and the cache, and returns picklable results. `check_files` is the
rest: one ProgramFacts for every file of the run, so a finding may come from another file's loop, data or model.
"""

from __future__ import annotations

import difflib
import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

from tflint_bnn.analysis.summary import ModuleSummary
from tflint_bnn.cache import SummaryCache
from tflint_bnn.discovery import link_target_outside, relative_to_root
from tflint_bnn.engine import Linter, ParseError, summarise
from tflint_bnn.environment import DeclaredKeras
from tflint_bnn.files import SourceError, SourceFile, is_read_only, read_source, write_source
from tflint_bnn.findings import Finding
from tflint_bnn.notebooks import (Notebook, NotebookFixError, fixed_notebook_bytes, is_notebook, name_notebook_rows,
                                  name_rows, notebook_after_fix, notebook_diff, place_finding, read_notebook,
                                  shell_lines, write_notebook)
from tflint_bnn.program.facts import ProgramFacts
from tflint_bnn.settings import Settings, per_file_ignored

# Files per task sent to a worker: big enough to amortise the pickling, small enough to spread the slow files.
MAX_CHUNK = 32
MIN_FILES_FOR_POOL = 2


class Mode(Enum):
    CHECK = "check"
    FIX = "fix"  # write the fixes
    FIX_TO_OUTPUT = "fix-to-output"  # a source read from stdin: the fixed text goes back to the caller, not a file
    DIFF = "diff"  # compute the fixes, return them as a diff, write nothing


@dataclass(frozen=True)
class Job:
    """What every file's check in one run shares; picklable, so workers receive it."""

    settings: Settings
    mode: Mode
    cache: Optional[SummaryCache]  # None with --no-cache
    linted: Tuple[Path, ...] = ()  # the paths the run was given: --fix writes through a link only to a file in them
    # The Keras version each folder's requirement files declare, read once per run.
    declared: DeclaredKeras = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "declared", DeclaredKeras(self.settings.root))


@dataclass
class FileOutcome:
    path: Path
    remaining: List[Finding] = field(default_factory=list)
    fixed: List[Finding] = field(default_factory=list)  # applied fixes, only when the file was written
    errors: List[str] = field(default_factory=list)  # one line each, without the path
    not_fixed: List[str] = field(default_factory=list)  # why --fix left the file as it was (one line, no path)
    diff: str = ""  # --diff: the unified diff of the fixes
    fixed_text: Optional[str] = None  # Mode.FIX_TO_OUTPUT: the whole text after the fixes
    notes: List[str] = field(default_factory=list)  # why the file was skipped (a notebook of another language)


@dataclass
class Summarised:
    """One file after the map step: its text and summary, or the one-line reason it has neither."""

    path: Path
    name: str  # the path as the program and messages name it (relative to the root)
    source: Optional[Union[SourceFile, Notebook]] = None
    summary: Optional[ModuleSummary] = None
    error: Optional[str] = None
    note: Optional[str] = None  # skipped, not an error: a notebook whose kernel is not Python


def default_jobs() -> int:
    """The cores this process may use (fewer than os.cpu_count() under taskset or a container's CPU set)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def internal_error(error: Exception) -> str:
    """The one line for a bug in the analysis or a rule: it costs the file, never the other files' results."""
    return f"internal error ({type(error).__name__}: {error}); please report it"


def summarise_file(path: Path, job: Job) -> Summarised:
    """Read and summarise one file; every failure becomes its one-line error."""
    name = relative_to_root(path, job.settings.root)
    source = None
    try:
        source = read_notebook(path) if is_notebook(path) else read_source(path)
        if isinstance(source, Notebook) and source.note is not None:
            return Summarised(path, name, note=source.note)
        summary = job.cache.get(name, source.text) if job.cache else None
        if summary is None:
            summary = summarise(source.text, name)
            if job.cache:
                job.cache.put(name, source.text, summary)
        if job.declared.keras2(path, shell_lines(source)):
            summary = replace(summary, declared_keras2=True)
        return Summarised(path, name, source, summary)
    except (SourceError, ParseError) as error:
        message = str(error)
        if isinstance(error, ParseError) and isinstance(source, Notebook):  # `line 104` of the joined cells
            message = name_rows(message, source, "line ")
        return Summarised(path, name, error=message)
    except Exception as error:  # a bug in the analysis must not cost the user the other files' results
        return Summarised(path, name, error=internal_error(error))


Progress = Callable[[int], None]  # told how many files are summarised so far


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect garbage less often while files are summarised and checked. The analysis makes millions of small
    objects and keeps most of them to the end (summaries, IR, values), so the default thresholds had the collector
    walk the growing heap again and again: a fifth of a cold run. mypy raises them the same way."""
    before = gc.get_threshold()
    gc.set_threshold(200_000, 30, 30)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def summarise_files(paths: Sequence[Path], job: Job, jobs: int,
                    progress: Optional[Progress] = None) -> List[Summarised]:
    """Every file's summary, in the order of `paths`, from `jobs` processes (in this process when that cannot pay
    off). A worker that dies (a crash in native code, the OOM killer) costs only the files it held. On Ctrl-C the
    workers are stopped at once and their half-written cache entries removed."""
    results: List[Summarised] = []
    if jobs <= 1 or len(paths) < MIN_FILES_FOR_POOL:
        for path in paths:
            results.append(summarise_file(path, job))
            gc.freeze()  # see check_files
            if progress is not None:
                progress(len(results))
        return results
    size = max(1, min(MAX_CHUNK, len(paths) // (jobs * 4)))
    chunks = [list(paths[start:start + size]) for start in range(0, len(paths), size)]
    pool = ProcessPoolExecutor(min(jobs, len(chunks)), initializer=_leave_interrupts_to_the_main_process)
    try:
        # map submits every chunk, which starts the workers: they begin with Ctrl-C blocked until they ignore it.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            chunk_results = pool.map(_summarise_chunk, chunks, [job] * len(chunks))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for done in chunk_results:
            results.extend(done)
            gc.freeze()
            if progress is not None:
                progress(len(results))
    except BrokenProcessPool:
        done_paths = {item.path for item in results}
        results.extend(_summarise_alone(path, job) for path in paths if path not in done_paths)
    except KeyboardInterrupt:
        _stop_workers(pool, job)
        raise
    pool.shutdown()
    return results


def _leave_interrupts_to_the_main_process() -> None:
    """Ctrl-C reaches every process of the terminal's group: a worker would print a traceback of its own and go on
    with the next chunk. The main process stops the workers instead (_stop_workers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _stop_workers(pool: ProcessPoolExecutor, job: Job) -> None:
    workers = multiprocessing.active_children()
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join()
    if job.cache is not None:
        job.cache.remove_partial_writes(worker.pid for worker in workers if worker.pid is not None)


def _summarise_chunk(paths: List[Path], job: Job) -> List[Summarised]:
    return [summarise_file(path, job) for path in paths]


def _summarise_alone(path: Path, job: Job) -> Summarised:
    with ProcessPoolExecutor(1) as pool:
        try:
            return pool.submit(_summarise_chunk, [path], job).result()[0]
        except BrokenProcessPool:
            return Summarised(path, relative_to_root(path, job.settings.root),
                              error="internal error (the checking process died); please report it")


def check_files(paths: Sequence[Path], job: Job, jobs: int, progress: Optional[Progress] = None
                ) -> Iterator[FileOutcome]:
    """Outcomes in the order of `paths`: the program is summarised first, then each file is checked against it.
    A check run whose every input is unchanged is served whole from the cache."""
    key = job.cache.run_key(job.settings, [*paths, *job.declared.requirement_files(paths)]) \
        if job.cache is not None and job.mode is Mode.CHECK else None
    cached = _cached_outcomes(job.cache.get_run(key), paths) if key is not None else None
    if cached is not None:
        yield from cached
        return
    try:
        yield from _check_files(paths, job, jobs, key, progress)
    finally:
        gc.unfreeze()  # the caller's process (a test run, an editor's) collects as before


def _check_files(paths: Sequence[Path], job: Job, jobs: int, key: Optional[str], progress: Optional[Progress]
                 ) -> Iterator[FileOutcome]:
    """The run itself. What each file's summary and check leave is frozen (gc.freeze) as they are made: the run
    keeps every summary and most values to its end, and each full collection walked all of them again (4 of 25 s
    of a cold run on the benchmark corpus). Summarising leaves no garbage cycle to keep frozen (the extractor
    breaks its own); peak memory stays the same."""
    items = summarise_files(paths, job, jobs, progress)
    modules: Dict[str, ModuleSummary] = {item.name: item.summary for item in items if item.summary is not None}
    program = ProgramFacts(modules, job.settings.assume_loaded_arrays_large)
    notebooks = {item.name: item.source for item in items if isinstance(item.source, Notebook)}
    done = []
    for position, item in enumerate(items):
        outcome = check_summarised(item, program, modules, job)
        gc.freeze()
        if notebooks:  # other files' messages name a notebook's lines by cell
            outcome.remaining = name_notebook_rows(outcome.remaining, notebooks)
        done.append([[finding.to_json() for finding in outcome.remaining], outcome.errors, outcome.notes])
        if position == len(items) - 1 and key is not None and not any(
                "internal error" in error for entry in done for error in entry[1]):
            job.cache.put_run(key, done)  # before the last yield: callers stop asking once they have every file
        yield outcome


def _cached_outcomes(data: Optional[list], paths: Sequence[Path]) -> Optional[List[FileOutcome]]:
    """The outcomes a cached run holds, or None when there is none or it has another shape."""
    if data is None or len(data) != len(paths):
        return None
    try:
        return [FileOutcome(path, remaining=[Finding.from_json(f) for f in remaining], errors=[str(e) for e in errors],
                            notes=[str(n) for n in notes])
                for path, (remaining, errors, notes) in zip(paths, data)]
    except (KeyError, TypeError, ValueError):
        return None


def check_summarised(item: Summarised, program: ProgramFacts, modules: Dict[str, ModuleSummary],
                     job: Job) -> FileOutcome:
    outcome = _check_summarised(item, program, modules, job)
    if isinstance(item.source, Notebook):  # cells that do not parse were left out: each is an error of its own
        outcome.errors[:0] = [message for _, _, message in item.source.broken]
    return outcome


def _check_summarised(item: Summarised, program: ProgramFacts, modules: Dict[str, ModuleSummary],
                      job: Job) -> FileOutcome:
    if item.error is not None:
        return FileOutcome(item.path, errors=[item.error])
    if item.note is not None:
        return FileOutcome(item.path, notes=[item.note])
    ignored = per_file_ignored(job.settings, item.name)
    linter = Linter(job.settings, program=modules, path=item.name)
    try:
        if job.mode is Mode.CHECK:
            remaining = linter.check(program, item.source.text, ignored)
            if isinstance(item.source, Notebook):
                remaining = [place_finding(finding, item.source) for finding in remaining]
            return FileOutcome(item.path, remaining=remaining)
        if isinstance(item.source, Notebook):
            return fix_notebook(item.source, ignored, job, linter, program)
        return _fix_file(item.source, ignored, job, linter, program)
    except ParseError as error:
        return FileOutcome(item.path, errors=[str(error)])
    except Exception as error:  # a bug in a rule must not cost the user the other files' results
        return FileOutcome(item.path, errors=[internal_error(error)])


def _fix_file(source: SourceFile, ignored: List[str], job: Job, linter: Linter, program: ProgramFacts) -> FileOutcome:
    """Fix (or diff) one file. A file that is not written keeps every finding of its text as it is, so whatever
    --fix could not write is reported as remaining."""
    path = source.path
    result = linter.fix(source.text, job.settings.unsafe_fixes, ignored, program)
    outcome = FileOutcome(path, remaining=result.remaining, errors=[result.error] if result.error else [])
    if job.mode is Mode.FIX_TO_OUTPUT:
        outcome.fixed_text, outcome.fixed = result.text, result.applied
        return outcome
    if result.text == source.text:
        return outcome
    if job.mode is Mode.DIFF:
        outcome.diff = "".join(difflib.unified_diff(
            source.text.splitlines(keepends=True), result.text.splitlines(keepends=True),
            fromfile=str(path), tofile=str(path)))
        return outcome
    refusal = _refusal_to_write(path, job)
    if refusal is not None:
        return FileOutcome(path, remaining=linter.check(program, source.text, ignored), not_fixed=[refusal])
    try:
        write_source(source, result.text)
    except OSError as error:
        return FileOutcome(path, remaining=linter.check(program, source.text, ignored),
                           errors=[f"cannot write the fixed file: {error.strerror or error}"])
    outcome.fixed = result.applied
    return outcome


def fix_notebook(notebook: Notebook, ignored: List[str], job: Job, linter: Linter,
                 program: ProgramFacts) -> FileOutcome:
    """--fix / --diff on a notebook: the joined cells are fixed like a module, then only the changed cells'
    `source` values are written back (or shown, per cell)."""
    result = linter.fix(notebook.text, job.settings.unsafe_fixes, ignored, program)
    outcome = FileOutcome(notebook.path, errors=[result.error] if result.error else [])
    remaining, placed_in = result.remaining, notebook
    if result.text != notebook.text:
        try:
            data, _ = fixed_notebook_bytes(notebook, result.text)
            placed_in = notebook_after_fix(notebook, data)
            refusal = _refusal_to_write(notebook.path, job) if job.mode is Mode.FIX else None
            if job.mode is Mode.DIFF:
                outcome.diff = notebook_diff(notebook, result.text, str(notebook.path))
            elif refusal is not None:
                outcome.not_fixed.append(refusal)
                remaining, placed_in = linter.lint(notebook.text, ignored), notebook
            else:
                write_notebook(notebook, data)
                outcome.fixed = [place_finding(finding, notebook) for finding in result.applied]
        except (NotebookFixError, SourceError) as error:
            outcome.errors.append(f"{error}; notebook left unchanged")
            remaining, placed_in = linter.lint(notebook.text, ignored), notebook
        except OSError as error:
            outcome.errors.append(f"cannot write the fixed notebook: {error.strerror or error}")
            remaining, placed_in = linter.lint(notebook.text, ignored), notebook
    outcome.remaining = [place_finding(finding, placed_in) for finding in remaining]
    return outcome


def _refusal_to_write(path: Path, job: Job) -> Optional[str]:
    """Why --fix must leave this file alone, or None. A link's target outside the checked paths belongs to someone
    else's tree (a shared module); a file without write permission was marked by its owner as not to be changed."""
    outside = link_target_outside(path, job.linted)
    if outside is not None:
        return f"is a link to {outside}, outside the checked paths; not fixed"
    if is_read_only(path):
        return "is read-only; not fixed"
    return None


def check_source(source: SourceFile, job: Job) -> FileOutcome:
    """A source that is no file of the run (stdin, named by --stdin-filename): checked on its own; with
    Mode.FIX_TO_OUTPUT the fixed text comes back in the outcome, and nothing is written."""
    name = relative_to_root(source.path, job.settings.root)
    try:
        summary = summarise(source.text, name)
    except ParseError as error:
        return FileOutcome(source.path, errors=[str(error)])
    except Exception as error:  # as in summarise_file
        return FileOutcome(source.path, errors=[internal_error(error)])
    modules = {name: summary}
    program = ProgramFacts(modules, job.settings.assume_loaded_arrays_large)
    return check_summarised(Summarised(source.path, name, source, summary), program, modules, job)
