"""Which files to lint: Python files and notebooks (`include`) below the given paths, minus excluded directories
and patterns."""

from __future__ import annotations

import os
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Union

from tflint_bnn.settings import DEFAULT_EXCLUDES, Settings

PYTHON_SUFFIXES = (".py", ".pyi", ".ipynb")  # a directory named like this is reported


@dataclass(frozen=True)
class PathProblem:
    """A path that is reported instead of (or as well as) checked: missing, or a directory named like a module."""

    path: Path
    message: str


_DIRECTORY_NAMED_LIKE_A_MODULE = "is a directory, not a Python file; the files inside it are checked"


def discover(paths: Sequence[Path], settings: Settings) -> Iterator[Union[Path, PathProblem]]:
    """Files in a stable order. A path named on the command line is always checked, like ruff does."""
    seen = set()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            yield PathProblem(path, "no such file or directory")
            continue
        found = [path] if not path.is_dir() else list(_walk(path, settings))
        if path.is_dir() and path.name.endswith(PYTHON_SUFFIXES):
            found.insert(0, PathProblem(path, _DIRECTORY_NAMED_LIKE_A_MODULE))
        for entry in found:
            key = os.path.normpath(entry.path if isinstance(entry, PathProblem) else entry)
            if key not in seen:
                seen.add(key)
                yield entry


def _walk(root: Path, settings: Settings) -> Iterator[Union[Path, PathProblem]]:
    for directory, dirnames, filenames in os.walk(root):
        base = Path(directory)
        dirnames[:] = sorted(d for d in dirnames if not is_excluded(base / d, settings))
        for name in dirnames:
            if name.endswith(PYTHON_SUFFIXES):
                yield PathProblem(base / name, _DIRECTORY_NAMED_LIKE_A_MODULE)
        for name in sorted(filenames):
            file = base / name
            if is_included(file, settings) and not is_excluded(file, settings):
                yield file


def is_included(path: Path, settings: Settings) -> bool:
    """A file a directory walk checks: its name or relative path matches `include` or `extend-include`."""
    relative = relative_to_root(path, settings.root)
    return any(fnmatch(path.name, pattern) or fnmatch(relative, pattern)
               for pattern in settings.include + settings.extend_include)


def is_excluded(path: Path, settings: Settings) -> bool:
    name = path.name
    if any(fnmatch(name, pattern) for pattern in DEFAULT_EXCLUDES):
        return True
    relative = relative_to_root(path, settings.root)
    return any(fnmatch(name, pattern) or fnmatch(relative, pattern) or fnmatch(relative, pattern.rstrip("/") + "/*")
               for pattern in settings.exclude)


def relative_to_root(path: Path, root: Optional[Path]) -> str:
    absolute = path.absolute()
    if root is not None:
        try:
            return absolute.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def one_path_per_file(files: Sequence[Path]) -> List[Path]:
    """`files` with each file once, however many symbolic links reach it: by its own path when that is among
    `files`, else by the first link to it, at the place of the first. Two names of one file would report its
    findings twice and make --fix write it twice."""
    chosen: Dict[str, Path] = {}  # by real path; a replaced value keeps its place in the dict's order
    for path in files:
        real = os.path.realpath(path)
        if real not in chosen or (chosen[real].is_symlink() and not path.is_symlink()):
            chosen[real] = path
    return list(chosen.values())


def link_target_outside(path: Path, linted: Sequence[Path]) -> Optional[Path]:
    """The file that the link `path` points to, when it lies outside every path the run was given (so --fix leaves
    it alone); None for a file that is not a link, or a link whose target is inside them."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    for given in linted:
        root = Path(os.path.realpath(given))
        if target == root or root in target.parents:
            return None
    return target
