"""Which linted module an import names.

Module names come from the files' paths: an import `a.b` names a linted file whose dotted path ends with `a.b`
(as if any enclosing directory were on sys.path, with or without `__init__.py`); the candidate nearest the
importer wins, and a tie is not followed. Relative imports resolve against the importer's own package.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Dict, List, Optional, Sequence, Tuple

Parts = Tuple[str, ...]


def module_parts(path: str) -> Parts:
    """The dotted path of a file, `__init__` kept: the parts before the last are its package."""
    if not path:
        return ()
    pure = PurePath(path)
    return tuple(part for part in pure.with_suffix("").parts if part not in ("/", "\\", ".", ""))


class ModuleGraph:
    def __init__(self, paths: Sequence[str]):
        self._parts: Dict[str, Parts] = {path: module_parts(path) for path in paths}
        self._names: Dict[str, Parts] = {path: _without_init(parts) for path, parts in self._parts.items()}
        self._by_suffix: Dict[Parts, List[str]] = {}
        for path, parts in self._names.items():
            for start in range(len(parts)):
                self._by_suffix.setdefault(parts[start:], []).append(path)
        self._exact: Dict[Parts, str] = {parts: path for path, parts in self._names.items()}

    def resolve(self, dotted: str, level: int, importer: str) -> Optional[Tuple[str, Tuple[str, ...]]]:
        """(module path, the rest of the dotted name inside it) for an import of `dotted`, or None."""
        wanted = tuple(dotted.split(".")) if dotted else ()
        importer_parts = self._parts.get(importer, ())
        if level:
            package = importer_parts[:-1]
            if level - 1 > len(package):
                return None
            base = package[:len(package) - (level - 1)]
            for length in range(len(wanted), -1, -1):
                path = self._exact.get(base + wanted[:length])
                if path is not None and (length or base):
                    return path, wanted[length:]
            return None
        for length in range(len(wanted), 0, -1):
            candidates = self._by_suffix.get(wanted[:length])
            if candidates:
                chosen = _nearest(candidates, importer_parts, self._names)
                return (chosen, wanted[length:]) if chosen is not None else None
        return None


def _without_init(parts: Parts) -> Parts:
    return parts[:-1] if parts and parts[-1] == "__init__" else parts


def _nearest(candidates: List[str], importer: Parts, names: Dict[str, Parts]) -> Optional[str]:
    if len(candidates) == 1:
        return candidates[0]
    nearness = {path: _common_prefix(names[path], importer[:-1]) for path in candidates}
    best = max(nearness.values())
    nearest = [path for path in candidates if nearness[path] == best]
    return nearest[0] if len(nearest) == 1 else None


def _common_prefix(a: Parts, b: Parts) -> int:
    count = 0
    for x, y in zip(a, b):
        if x != y:
            break
        count += 1
    return count
