"""Per-file lint results on disk, keyed by everything that decides them (like ruff's `.ruff_cache`).

An entry's name is the sha256 of the file's text, the tool (version and source), the enabled rules, the options
that change results and the file's per-file ignored codes, so a changed input is a different entry, never a stale
one. Entries are written to a temp file and renamed into place, so runs sharing the cache never see half an entry;
an entry that does not parse into findings is a miss and gets overwritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import tflint_bnn
from tflint_bnn import __version__
from tflint_bnn.findings import Finding
from tflint_bnn.rules import ALL_RULES
from tflint_bnn.settings import Settings

CACHE_DIR_NAME = ".tflint_bnn_cache"
# Settings that choose files, not results: per-file ignores go into each entry's key as the file's ignored codes.
_NOT_RESULT_SETTINGS = ("root", "exclude", "per_file_ignores")
_CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                 "# This file is a cache directory tag created by tflint-bnn.\n"
                 "# For information about cache directory tags see https://bford.info/cachedir/\n")


@dataclass(frozen=True)
class ResultCache:
    """Picklable: worker processes read and write entries themselves."""

    directory: Path
    context: str  # hex digest of what every entry in this run shares: tool, rules, options

    @staticmethod
    def open(root: Path, settings: Settings) -> Optional["ResultCache"]:
        """The cache under `root`, created if needed; None when it cannot be created (e.g. a read-only tree)."""
        directory = root / CACHE_DIR_NAME / __version__
        try:
            directory.mkdir(parents=True, exist_ok=True)
            for name, text in (("CACHEDIR.TAG", _CACHEDIR_TAG), (".gitignore", "*\n")):
                if not (root / CACHE_DIR_NAME / name).exists():
                    _write_atomically(root / CACHE_DIR_NAME / name, text)
        except OSError:
            return None
        return ResultCache(directory, _run_context(settings))

    def key(self, text: str, ignored_codes: Sequence[str], project: str = "") -> str:
        """`project`: the fingerprint of the other files' summaries this file's calls read (cross-file)."""
        digest = hashlib.sha256(self.context.encode())
        digest.update(json.dumps([sorted(ignored_codes), project]).encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, key: str) -> Optional[List[Finding]]:
        try:
            data = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            return [Finding.from_json(item) for item in data["findings"]]
        except (OSError, ValueError, KeyError, TypeError, IndexError):  # missing, corrupt or another shape: a miss
            return None

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        try:
            _write_atomically(self.directory / f"{key}.json",
                              json.dumps({"findings": [finding.to_json() for finding in findings]}))
        except OSError:
            pass  # a full disk or a removed cache directory costs speed, not results


def _run_context(settings: Settings) -> str:
    options = {name: value for name, value in asdict(settings).items() if name not in _NOT_RESULT_SETTINGS}
    context = {
        "version": __version__,
        "source": _source_fingerprint(),
        "rules": sorted(rule.code for rule in ALL_RULES if settings.is_enabled(rule.code, rule.default_enabled)),
        "options": options,
    }
    return hashlib.sha256(json.dumps(context, sort_keys=True).encode()).hexdigest()


def _source_fingerprint() -> List[list]:
    """The tool's own modules (name, size, mtime): an edited rule in a development install is not served stale."""
    package = Path(tflint_bnn.__file__).parent
    fingerprint = []
    for path in sorted(package.rglob("*.py")):
        status = path.stat()
        fingerprint.append([path.relative_to(package).as_posix(), status.st_size, status.st_mtime_ns])
    return fingerprint


def _write_atomically(path: Path, text: str) -> None:
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as temp:
            temp.write(text)
        os.replace(temp_name, path)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
