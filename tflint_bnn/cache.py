"""Per-file summaries on disk, keyed by everything that decides them (like ruff's `.ruff_cache`).

A file's summary depends on its text, its path (messages name it) and the tool alone, never on settings or on
other files: the whole-program step runs again on every check, from the summaries, so a change in one file
reaches every finding it affects. An entry's name is the sha256 of the tool (version and source), the path and
the text, so a changed input is a different entry, never a stale one. Entries are written to a temp file and
renamed into place, so runs sharing the cache never see half an entry; an entry that does not load is a miss and
gets overwritten.

A warm run with nothing changed skips even that: the findings of a whole check run are kept under the hash of
every file's path and bytes and the settings (`run_key`), so a result is served only when all it could depend on,
transitively, is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, List, Optional, Sequence

import tflint_bnn
from tflint_bnn import __version__
from tflint_bnn.analysis.summary import ModuleSummary

CACHE_DIR_NAME = ".tflint_bnn_cache"
_TEMP_SUFFIX = ".tmp"
_CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This file is a cache directory tag created by tflint-bnn.\n"
                 "# For information about cache directory tags see https://bford.info/cachedir/\n")


@dataclass(frozen=True)
class SummaryCache:
    """Picklable: worker processes read and write entries themselves."""

    directory: Path
    context: str  # hex digest of what every entry shares: the tool's version and source

    @staticmethod
    def open(root: Path) -> Optional["SummaryCache"]:
        """The cache under `root`, created if needed; None when it cannot be created (e.g. a read-only tree)."""
        directory = root / CACHE_DIR_NAME / __version__
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", "*\n")):
                if not (root / CACHE_DIR_NAME / name).exists():
                    _write_atomically(root / CACHE_DIR_NAME / name, text.encode())
        except OSError:
            return None
        context = {"version": __version__, "source": _source_fingerprint()}
        return SummaryCache(directory, hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest())

    def key(self, path: str, text: str) -> str:
        digest = hashlib.sha256(self.context.encode())
        digest.update(json.dumps(path).encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, path: str, text: str) -> Optional[ModuleSummary]:
        try:
            with open(self.directory / f"{self.key(path, text)}.pickle", "rb") as handle:
                summary = _SummaryUnpickler(handle).load()
        except Exception:  # missing, truncated, corrupt or from another shape: a miss
            return None
        return summary if isinstance(summary, ModuleSummary) and summary.path == path else None

    def put(self, path: str, text: str, summary: ModuleSummary) -> None:
        try:
            _write_atomically(self.directory / f"{self.key(path, text)}.pickle",
                              pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, RecursionError):
            pass  # a full disk or a removed cache directory costs speed, not results


    def run_key(self, settings: Any, paths: Sequence[Path]) -> Optional[str]:
        """The key of a whole check run over `paths`; None when a file cannot be read (its error is not cached)."""
        digest = hashlib.sha256(self.context.encode())
        digest.update(repr(settings).encode())
        for path in paths:
            try:
                data = path.read_bytes()
            except OSError:
                return None
            digest.update(f"\0{path}\0{len(data)}\0".encode())
            digest.update(hashlib.sha256(data).digest())
        return digest.hexdigest()

    def get_run(self, key: str) -> Optional[list]:
        """The JSON-shaped outcomes of the run under `key`, or None."""
        try:
            with open(self.directory / f"run-{key}.json", "rb") as handle:
                data = json.load(handle)
        except Exception:  # missing, truncated or corrupt: a miss
            return None
        return data if isinstance(data, list) else None

    def put_run(self, key: str, outcomes: list) -> None:
        try:
            _write_atomically(self.directory / f"run-{key}.json", json.dumps(outcomes).encode())
        except (OSError, TypeError, ValueError):
            pass

    def remove_partial_writes(self, pids: Iterable[int]) -> None:
        """Delete the temp files that the (stopped) processes `pids` left behind; other runs' are theirs."""
        for pid in pids:
            for directory in (self.directory, self.directory.parent):
                for temp in directory.glob(f".*.{pid}.*{_TEMP_SUFFIX}"):
                    try:
                        temp.unlink()
                    except OSError:
                        pass


class _SummaryUnpickler(pickle.Unpickler):
    """Loads only what summaries are made of: a planted cache file cannot name any other callable."""

    _ALLOWED_BUILTINS = frozenset({"frozenset", "set", "tuple", "list", "dict", "Ellipsis", "complex"})

    def find_class(self, module: str, name: str):
        if module == "builtins" and name in self._ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module in ("tflint_bnn.analysis.summary", "tflint_bnn.analysis.ir"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a summary")


def _source_fingerprint() -> List[list]:
    """The tool's own modules (name, size, mtime): an edited rule in a development install is not served stale."""
    package = Path(tflint_bnn.__file__).parent
    fingerprint = []
    for path in sorted(package.rglob("*.py")):
        status = path.stat()
        fingerprint.append([path.relative_to(package).as_posix(), status.st_size, status.st_mtime_ns])
    return fingerprint


def _write_atomically(path: Path, data: bytes) -> None:
    # The writer's pid in the name: a worker stopped mid-write (Ctrl-C) cannot clean up, the run that stopped it can.
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=_TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
