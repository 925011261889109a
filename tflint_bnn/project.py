"""The linted files as a project: per-file summaries (computed once, in the parent) and who imports whom.

Every discovered file is summarised with CPython's `ast` (a helper that calls its model parameter need not name
TensorFlow). Module names come from the files' paths: an import `a.b` names a linted file whose dotted path ends
with `a.b` (as if any enclosing directory were on sys.path, with or without `__init__.py`); the candidate nearest
the importer wins, and a tie is not followed. Relative imports resolve against the importer's own directory.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from tflint_bnn.analysis.describe import origins_phrase
from tflint_bnn.analysis.foreign import ImportKey, ProjectImports
from tflint_bnn.analysis.summaries import FileSummary, FunctionSummary, summarise
from tflint_bnn.discovery import relative_to_root
from tflint_bnn.files import SourceError, read_source
from tflint_bnn.findings import Finding
from tflint_bnn.noqa import parse_suppressions
from tflint_bnn.settings import Settings, per_file_ignored

MIN_FILES_FOR_POOL = 200  # below this, starting processes costs more than parsing


@dataclass(frozen=True)
class Project:
    """Picklable: it travels in the Job. Holds only files with summarised functions and the files importing them."""

    root: Optional[Path]
    functions: Dict[str, Tuple[FunctionSummary, ...]] = field(default_factory=dict)  # file -> its summaries
    links: Dict[str, Dict[ImportKey, str]] = field(default_factory=dict)  # importer -> import -> file

    def imports_for(self, path: Path) -> Optional[ProjectImports]:
        modules = self.links.get(str(path))
        if not modules:
            return None
        return ProjectImports(relative_to_root(path, self.root), modules,
                              {target: self.functions[target] for target in sorted(set(modules.values()))})


def build_project(files: Sequence[Path], root: Optional[Path], jobs: int = 1) -> Project:
    summaries = {str(path): summary for path, summary in zip(files, _summaries(files, jobs)) if summary is not None}
    functions = {name: summary.functions for name, summary in summaries.items() if summary.functions}
    if not functions:
        return Project(root)
    dotted = {str(path): _module_parts(path) for path in files}
    targets = {name: _without_init(dotted[name]) for name in functions}
    links = {}
    for importer, summary in summaries.items():
        found = {key: target for key in summary.imports
                 if (target := _resolve(key, dotted[importer], targets)) is not None and target != importer}
        if found:
            links[importer] = found
    return Project(root, functions, links)


def _summaries(files: Sequence[Path], jobs: int) -> List[Optional[FileSummary]]:
    """CPython's parser is most of the cost (about 9 s for 3,843 files on one core): spread it like the checks."""
    if jobs <= 1 or len(files) < MIN_FILES_FOR_POOL:
        return [_summary(path) for path in files]
    with ProcessPoolExecutor(jobs) as pool:
        return list(pool.map(_summary, files, chunksize=max(1, min(64, len(files) // (jobs * 4)))))


def _summary(path: Path) -> Optional[FileSummary]:
    try:
        return summarise(read_source(path).text)
    except (SourceError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # the file's own check reports it


def _module_parts(path: Path) -> Tuple[str, ...]:
    """The dotted path of a file, `__init__` kept: the parts before the last are its package."""
    return path.absolute().with_suffix("").parts[1:]


def _without_init(parts: Tuple[str, ...]) -> Tuple[str, ...]:
    return parts[:-1] if parts and parts[-1] == "__init__" else parts


def _resolve(key: ImportKey, importer: Tuple[str, ...], targets: Dict[str, Tuple[str, ...]]) -> Optional[str]:
    module, level = key
    wanted = tuple(module.split(".")) if module else ()
    if level:
        package = importer[:-1]
        if level - 1 > len(package):
            return None
        absolute = package[:len(package) - (level - 1)] + wanted
        return next((name for name, parts in targets.items() if parts == absolute), None)
    if not wanted:
        return None
    matches = [name for name, parts in targets.items() if parts[-len(wanted):] == wanted]
    if len(matches) <= 1:
        return matches[0] if matches else None
    nearness = {name: _common_prefix(targets[name], importer[:-1]) for name in matches}
    best = max(nearness.values())
    nearest = [name for name in matches if nearness[name] == best]
    return nearest[0] if len(nearest) == 1 else None


def _common_prefix(a: Tuple[str, ...], b: Tuple[str, ...]) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count


def kept_in_target(target: Path, findings: List[Finding], settings: Settings) -> List[Finding]:
    """Another file's findings about `target`, minus what its `# noqa` comments and per-file ignores suppress."""
    try:
        suppressions = parse_suppressions(read_source(target).text)
    except SourceError:
        return []
    if suppressions.file_exempt:
        return []
    ignored = per_file_ignored(settings, relative_to_root(target, settings.root))
    return [f for f in findings if f.code not in ignored and not suppressions.suppresses(f.start[0], f.code)]


def merge_callers(findings: List[Finding]) -> List[Finding]:
    """One finding per (position, code) in a target: the first caller's message, naming every caller."""
    merged: Dict[tuple, Finding] = {}
    for finding in findings:
        key = (finding.start, finding.end, finding.code)
        if key not in merged:
            merged[key] = finding
            continue
        first = merged[key]
        origins = tuple(dict.fromkeys(first.origins + finding.origins))
        merged[key] = replace(first, origins=origins, message=first.message.replace(
            origins_phrase(first.origins), origins_phrase(origins), 1))
    return sorted(merged.values(), key=lambda f: (f.start, f.code))
