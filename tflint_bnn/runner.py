"""Checking files: `check_file` does one file's work, `check_files` runs many of them across processes.

`check_file` is pure apart from reading the file, writing its fix and the cache: it prints nothing and returns a
picklable `FileOutcome`, so worker processes can run it and the parent reports every outcome in discovery order.
"""

from __future__ import annotations

import difflib
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional, Sequence

from tflint_bnn.analysis.foreign import ProjectImports
from tflint_bnn.cache import ResultCache
from tflint_bnn.discovery import relative_to_root
from tflint_bnn.engine import Linter, ParseError
from tflint_bnn.files import SourceError, SourceFile, read_source, write_source
from tflint_bnn.findings import Finding
from tflint_bnn.project import Project
from tflint_bnn.settings import Settings, per_file_ignored

# Files per task sent to a worker: big enough to amortise the pickling, small enough to spread the slow files.
MAX_CHUNK = 16


class Mode(Enum):
    CHECK = "check"
    FIX = "fix"  # write the fixes
    DIFF = "diff"  # compute the fixes, return them as a diff, write nothing


@dataclass(frozen=True)
class Job:
    """What every file's check in one run shares; picklable, so workers receive it."""

    settings: Settings
    mode: Mode
    cache: Optional[ResultCache]  # None with --no-cache
    project: Optional[Project] = None  # the linted files' summaries, for cross-file findings


@dataclass
class FileOutcome:
    path: Path
    remaining: List[Finding] = field(default_factory=list)
    fixed: List[Finding] = field(default_factory=list)  # applied fixes, only when the file was written
    errors: List[str] = field(default_factory=list)  # one line each, without the path
    diff: str = ""  # --diff: the unified diff of the fixes


def default_jobs() -> int:
    """The cores this process may use (fewer than os.cpu_count() under taskset or a container's CPU set)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def check_file(path: Path, job: Job) -> FileOutcome:
    """One file's lint (or fix); every failure becomes one of the outcome's one-line errors."""
    try:
        source = read_source(path)
        ignored = per_file_ignored(job.settings, relative_to_root(path, job.settings.root))
        imports = job.project.imports_for(path) if job.project else None
        key = _key(job, source.text, ignored, imports)
        cached = job.cache.get(key) if job.cache else None
        if cached is not None and (job.mode is Mode.CHECK or not _any_fixable(cached, job)):
            return FileOutcome(path, remaining=cached)  # in fix mode only when there is nothing to fix
        if job.mode is Mode.CHECK:
            findings = Linter(job.settings, imports=imports).lint(source.text, ignored)
            if job.cache:
                job.cache.put(key, findings)
            return FileOutcome(path, remaining=findings)
        return _fix_file(source, ignored, job, imports)
    except (SourceError, ParseError) as error:
        return FileOutcome(path, errors=[str(error)])
    except Exception as error:  # a bug in a rule must not cost the user the other files' results
        return FileOutcome(path, errors=[f"internal error ({type(error).__name__}: {error}); please report it"])


def _key(job: Job, text: str, ignored: List[str], imports: Optional[ProjectImports]) -> Optional[str]:
    return job.cache.key(text, ignored, imports.fingerprint() if imports else "") if job.cache else None


def _any_fixable(findings: List[Finding], job: Job) -> bool:
    return any(finding.fixable(job.settings.unsafe_fixes) for finding in findings)


def _fix_file(source: SourceFile, ignored: List[str], job: Job, imports: Optional[ProjectImports]) -> FileOutcome:
    path = source.path
    result = Linter(job.settings, imports=imports).fix(source.text, job.settings.unsafe_fixes, ignored)
    outcome = FileOutcome(path, remaining=result.remaining, errors=[result.error] if result.error else [])
    if result.text == source.text:
        _remember(job, result.text, ignored, imports, outcome)
    elif job.mode is Mode.DIFF:
        outcome.diff = "".join(difflib.unified_diff(
            source.text.splitlines(keepends=True), result.text.splitlines(keepends=True),
            fromfile=str(path), tofile=str(path)))
    else:
        try:
            write_source(source, result.text)
        except OSError as error:
            outcome.errors.append(f"cannot write the fixed file: {error.strerror or error}")
            return outcome
        outcome.fixed = result.applied
        _remember(job, result.text, ignored, imports, outcome)
    return outcome


def _remember(job: Job, text_on_disk: str, ignored: List[str], imports: Optional[ProjectImports],
              outcome: FileOutcome) -> None:
    """After a fix the remaining findings are the lint of the text now on disk: the next run can reuse them."""
    if job.cache and not outcome.errors:
        job.cache.put(_key(job, text_on_disk, ignored, imports), outcome.remaining)


def check_files(paths: Sequence[Path], job: Job, jobs: int) -> Iterator[FileOutcome]:
    """Outcomes in the order of `paths`, from `jobs` processes (in this process when that cannot pay off)."""
    if jobs <= 1 or len(paths) < 2:
        return (check_file(path, job) for path in paths)
    return _in_pool(list(paths), job, jobs)


def _in_pool(paths: List[Path], job: Job, jobs: int) -> Iterator[FileOutcome]:
    """A worker that dies (a crash in native code, the OOM killer) breaks the whole pool. Then the first chunk
    that failed is rechecked one process per file, so only the file that kills its process is lost (as an error),
    and a fresh pool takes the rest."""
    size = max(1, min(MAX_CHUNK, len(paths) // (jobs * 4)))
    chunks = [paths[start:start + size] for start in range(0, len(paths), size)]
    done = 0
    while done < len(chunks):
        for outcomes in _until_broken(chunks[done:], job, jobs):
            yield from outcomes
            done += 1
        if done < len(chunks):
            yield from (_check_alone(path, job) for path in chunks[done])
            done += 1


def _until_broken(chunks: List[List[Path]], job: Job, jobs: int) -> Iterator[List[FileOutcome]]:
    """Each chunk's outcomes in order; stops early if a worker process dies."""
    pool = ProcessPoolExecutor(min(jobs, len(chunks)))
    try:
        futures = [pool.submit(_check_chunk, chunk, job) for chunk in chunks]
        for future in futures:
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                return
            yield outcomes
    finally:
        pool.shutdown(cancel_futures=True)  # a reader that stops early (a closed pipe) does not wait for the rest


def _check_chunk(paths: List[Path], job: Job) -> List[FileOutcome]:
    return [check_file(path, job) for path in paths]


def _check_alone(path: Path, job: Job) -> FileOutcome:
    with ProcessPoolExecutor(1) as pool:
        try:
            return pool.submit(_check_chunk, [path], job).result()[0]
        except BrokenProcessPool:
            return FileOutcome(path, errors=["internal error (the checking process died); please report it"])
