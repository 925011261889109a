"""Which Keras a file runs under, as its project declares it: pinned TensorFlow, TFP or Keras versions.

TF >= 2.16 makes tf.keras Keras 3; a project whose requirements pin `tensorflow==2.3.1` (or TFP 0.8, or
`keras<3`) runs Keras 2, where TFP layers work and predict leaves `training=True` dropout on. The nearest directory
(from the file up to the project root) whose requirement files name TensorFlow, TFP or Keras decides; a notebook's
own `!pip install tensorflow_probability==0.8.0` or Colab's `%tensorflow_version 1.x` comes first. Keras 2 counts as
declared only when every version named there is old: an unpinned `tensorflow` may be anything, and the rules keep
their Keras 3 reading.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

REQUIREMENT_FILES = re.compile(r"requirements[\w.-]*\.txt|setup\.py|setup\.cfg|pyproject\.toml|environment\.ya?ml"
                               r"|Pipfile|conda[\w.-]*\.ya?ml")
_ROOT_MARKERS = (".git", "pyproject.toml", "setup.py", "setup.cfg")
_MAX_LEVELS = 8  # a file never looks further up than this for its project's requirements
# `tensorflow==2.3.1`, `tensorflow-gpu<2.16`, `keras = "==2.4.3"` (Pipfile), `- tensorflow=2.3` (conda)
_MENTION = re.compile(r"(?<![\w.-])(?P<name>tensorflow(?:[-_](?:gpu|cpu|macos|probability))?|keras"
                      r"|tfp?[-_]nightly(?:[-_](?:gpu|cpu))?)(?![\w.-])"
                      r"[ \t]*(?:\[[^\]\n]*\])?[ \t]*(?:=[ \t]*[\"'])?[ \t]*(?P<op>===?|~=|<=|<|>=|>|!=|=)?"
                      r"[ \t]*(?P<version>\d+(?:\.\d+)*)?(?P<wildcard>\.\*)?")
_COMMENT = re.compile(r"(?m)(?:^|\s)#.*$")
# Colab's `%tensorflow_version 1.x` selected TensorFlow 1 (the magic is gone since TF 2.11; `2.x` then meant any 2.x)
_COLAB_TF1 = re.compile(r"%tensorflow_version\s+1(?:\.\w+)?\s*$")
# The first version of each package that comes with Keras 3.
_KERAS3_FROM = {"tensorflow": (2, 16), "tensorflow-probability": (0, 24), "keras": (3, 0)}


def names_old_keras(text: str) -> Optional[bool]:
    """None when `text` names neither TensorFlow, TFP nor Keras; else whether every version it names for them
    comes before Keras 3. TFP's version stands for TensorFlow's only where TensorFlow is not named: tf.keras is
    whatever TensorFlow brings (`tf-nightly==1.9.0.dev2018` with an unpinned `tfp-nightly` is TensorFlow 1)."""
    mentions = [(_package(match), match) for match in _MENTION.finditer(_COMMENT.sub("", text))]
    if any(package == "tensorflow" for package, _ in mentions):
        mentions = [(package, match) for package, match in mentions if package != "tensorflow-probability"]
    found = [_is_old(package, match) for package, match in mentions]
    return all(found) if found else None


def _package(match: "re.Match[str]") -> str:
    name = match.group("name").lower().replace("_", "-")
    return ("tensorflow-probability" if name.endswith("probability") or name.startswith("tfp-") else
            "keras" if name == "keras" else "tensorflow")


def _is_old(package: str, match: "re.Match[str]") -> bool:
    threshold = _KERAS3_FROM[package]
    operator, version = match.group("op"), match.group("version")
    if version is None or operator in (None, ">=", ">", "!="):
        return False
    parts = tuple(int(part) for part in version.split("."))
    if operator == "<":  # <2.16 and <2.16.0 exclude Keras 3, <2.16.1 lets 2.16.0 in
        while len(parts) > 2 and parts[-1] == 0:
            parts = parts[:-1]
        return parts <= threshold
    if operator == "~=":  # ~=2.4 allows any 2.x from 2.4 on, ~=2.4.1 any 2.4.x
        upper = (parts[0] + 1, 0) if len(parts) <= 2 else (parts[0], parts[1] + 1)
        return upper <= threshold
    if match.group("wildcard"):  # ==2.* allows any 2.x, ==2.15.* any 2.15.x
        upper = (parts[0] + 1, 0) if len(parts) == 1 else (parts[0], parts[1] + 1)
        return upper <= threshold
    return parts[:2] < threshold  # ==, ===, <=, conda's =


class DeclaredKeras:
    """Answers per directory, read once: a run or a project check asks about many files of the same folders."""

    def __init__(self, root: Optional[Path] = None):
        self.root = root.resolve() if root is not None else None
        self._by_directory: Dict[Path, Tuple[Optional[bool], Tuple[Path, ...]]] = {}
        self._upwards: Dict[Path, List[Path]] = {}
        self._tops: Dict[Path, bool] = {}  # directory -> is it the project's root (nothing above it is read)

    def keras2(self, path: Path, installs: Iterable[str] = ()) -> bool:
        """Does the project declare Keras 2 for the file at `path`? `installs`: a notebook's shell lines."""
        own = names_old_keras("\n".join("tensorflow==1" if _COLAB_TF1.match(line.strip()) else line
                                        for line in installs if "install" in line or "tensorflow_version" in line))
        if own is not None:
            return own
        for directory in self._directories(path):
            declared = self._read(directory)[0]
            if declared is not None:
                return declared
        return False

    def requirement_files(self, paths: Sequence[Path]) -> List[Path]:
        """The requirement files the answers for `paths` read: what a cached result depends on besides them."""
        found: Dict[Path, None] = {}
        for path in paths:
            for directory in self._directories(path):
                found.update(dict.fromkeys(self._read(directory)[1]))
        return sorted(found)

    def _directories(self, path: Path) -> List[Path]:
        """The file's directory and those above it, up to the project's root."""
        known = self._upwards.get(path.parent)  # keyed as given: resolving every path cost a warm run 40%
        if known is not None:
            return known
        directory = path.resolve().parent
        found = self._upwards[path.parent] = []
        for _ in range(_MAX_LEVELS):
            found.append(directory)
            if self._is_top(directory):
                break
            directory = directory.parent
        return found

    def _is_top(self, directory: Path) -> bool:
        known = self._tops.get(directory)
        if known is None:
            known = self._tops[directory] = directory == self.root or directory.parent == directory or any(
                (directory / marker).exists() for marker in _ROOT_MARKERS)
        return known

    def _read(self, directory: Path) -> Tuple[Optional[bool], Tuple[Path, ...]]:
        known = self._by_directory.get(directory)
        if known is None:
            files = _requirement_files(directory)
            answers = [names_old_keras(_text(file)) for file in files]
            named = [answer for answer in answers if answer is not None]
            known = self._by_directory[directory] = (all(named) if named else None, files)
        return known


def _requirement_files(directory: Path) -> Tuple[Path, ...]:
    try:
        return tuple(sorted(entry for entry in directory.iterdir()
                            if REQUIREMENT_FILES.fullmatch(entry.name) and entry.is_file()))
    except OSError:
        return ()


def _text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
