"""Options every part of the linter reads, with their defaults, and loading them from pyproject.toml."""

from __future__ import annotations

import sys
from fnmatch import fnmatch
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Dict, List, Optional, Tuple

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on old Pythons only
    import tomli as tomllib

DEFAULT_EXCLUDES = (".git", ".hg", ".svn", ".venv", "venv", ".env", "env", ".tox", ".nox", "__pycache__", "build",
                    "dist", "node_modules", "site-packages", ".eggs", "*.egg-info", ".mypy_cache", ".pytest_cache",
                    ".ruff_cache", ".tflint_bnn_cache", "__pypackages__", ".ipynb_checkpoints")
# Files a directory walk checks, as ruff's `include`: Python sources and Jupyter notebooks.
DEFAULT_INCLUDE = ("*.py", "*.pyi", "*.ipynb")


class ConfigError(Exception):
    """A configuration file or option that cannot be used: reported as a usage error (exit 2)."""


@dataclass(frozen=True)
class Settings:
    select: Tuple[str, ...] = ("TFB",)
    ignore: Tuple[str, ...] = ()
    extend_select: Tuple[str, ...] = ()
    per_file_ignores: Dict[str, Tuple[str, ...]] = field(default_factory=dict)
    exclude: Tuple[str, ...] = ()
    include: Tuple[str, ...] = DEFAULT_INCLUDE  # which files a directory walk checks (name or relative path)
    extend_include: Tuple[str, ...] = ()
    batch_rows: int = 1024  # a forward pass over more rows than this is "full batch"
    fix_batch_size: int = 256  # the batch size that fixes write
    # Below these costs a finding is not worth a user's time (README, Configuration; docs/rules/TFB102.md, TFB204.md):
    # a pass whose activations are estimated under this many MiB, predict called fewer times than this, Monte Carlo
    # outputs kept under this many MiB.
    min_activation_mib: int = 64
    min_predict_calls: int = 100
    min_retained_mib: int = 100
    unsafe_fixes: bool = False
    assume_loaded_arrays_large: bool = True
    root: Optional[Path] = None  # the directory patterns in exclude / per-file-ignores are relative to

    def is_enabled(self, code: str, default_enabled: bool = True) -> bool:
        """A rule that is off by default runs only when a selector names its full code (ruff's rule for them)."""
        selectors = self.select + self.extend_select
        selected = _longest_match(code, selectors) if default_enabled else len(code) * (code in selectors)
        ignored = _longest_match(code, self.ignore)
        return selected > 0 and selected > ignored

    def merged(self, **overrides) -> "Settings":
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _longest_match(code: str, prefixes) -> int:
    """Like ruff: the most specific matching selector wins (`--select TFB --ignore TFB1` keeps TFB2xx)."""
    best = 0
    for prefix in prefixes:
        if prefix == "ALL" or code.startswith(prefix):
            best = max(best, len(prefix) if prefix != "ALL" else 1)
    return best


_KEYS = {f.name.replace("_", "-"): f.name for f in fields(Settings) if f.name != "root"}


def find_config(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a [tool.tflint-bnn] table, walking up from `start`."""
    directory = start if start.is_dir() else start.parent
    for candidate in [directory, *directory.parents]:
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "tflint-bnn" in _read_toml(pyproject).get("tool", {}):
            return pyproject
    return None


def settings_near(start: Path) -> Settings:
    """The settings that apply at `start`: the nearest [tool.tflint-bnn] above it, else the defaults (patterns
    relative to the working directory). The CLI and the language server find them the same way."""
    found = find_config(start)
    return load_config(found) if found is not None else Settings(root=Path.cwd())


def load_config(path: Path) -> Settings:
    data = _read_toml(path)
    table = data.get("tool", {}).get("tflint-bnn", data if path.name != "pyproject.toml" else {})
    values = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ConfigError(f"{path}: unknown option `{key}` in [tool.tflint-bnn]")
        values[_KEYS[key]] = _coerce(path, key, value)
    return Settings(root=path.parent.resolve(), **values)


def _coerce(path: Path, key: str, value):
    name = _KEYS[key]
    if name in {"select", "ignore", "extend_select", "exclude", "include", "extend_include"}:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{path}: `{key}` must be a list of strings")
        return tuple(value)
    if name == "per_file_ignores":
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: `{key}` must be a table of glob = [codes]")
        return {glob: tuple(codes) for glob, codes in value.items()}
    if name in {"batch_rows", "fix_batch_size", "min_activation_mib", "min_predict_calls", "min_retained_mib"}:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ConfigError(f"{path}: `{key}` must be a positive integer")
        return value
    if not isinstance(value, bool):
        raise ConfigError(f"{path}: `{key}` must be true or false")
    return value


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read configuration: {error}") from None


def parse_codes(text: Optional[str]) -> Optional[Tuple[str, ...]]:
    if text is None:
        return None
    return tuple(code.strip() for code in text.split(",") if code.strip())


def per_file_ignored(settings: Settings, relative: str) -> List[str]:
    name = relative.rsplit("/", 1)[-1]
    return [code for glob, codes in settings.per_file_ignores.items()
            if fnmatch(relative, glob) or fnmatch(name, glob) for code in codes]
