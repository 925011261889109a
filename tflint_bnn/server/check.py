"""One open document's check: the CLI's settings and Linter, applied to the editor's text instead of the file's.

Nothing here re-implements analysis: the settings come from the nearest pyproject.toml exactly as
`tflint-bnn FILE` finds them, the per-file ignores from the same function, and the findings from `Linter.lint`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional
from urllib.parse import urlparse
from urllib.request import url2pathname

from tflint_bnn.discovery import relative_to_root
from tflint_bnn.engine import FixResult, ParseError
from tflint_bnn.findings import Finding
from tflint_bnn.project import lint_in_project, linter_in_project
from tflint_bnn.settings import ConfigError, Settings, per_file_ignored, settings_near

_LINE = re.compile(r"\bat line (\d+)\b")  # how ParseError names the line of a syntax error


@dataclass(frozen=True)
class Problem:
    """What stopped the check (a syntax error, a bad config, a bug), shown as one error diagnostic."""

    message: str
    row: int = 1  # the line it is about, 1-based; the first line when it is about no line


@dataclass
class DocumentCheck:
    settings: Settings
    path: Optional[Path] = None  # the saved file the document is, within its project; None for unsaved buffers
    ignored: List[str] = field(default_factory=list)
    findings: List[Finding] = field(default_factory=list)
    problem: Optional[Problem] = None

    def fix_all(self, text: str) -> Optional[FixResult]:
        """What `tflint-bnn --fix` would write for this text; None when it would write nothing."""
        if self.problem is not None or not any(f.fixable(self.settings.unsafe_fixes) for f in self.findings):
            return None
        linter, facts = linter_in_project(self.settings, self.path, text)
        result = linter.fix(text, self.settings.unsafe_fixes, self.ignored, facts)
        return result if result.error is None and result.text != text else None


def check_document(uri: str, text: str) -> DocumentCheck:
    path = path_of(uri)
    try:
        settings = settings_for(path)
    except ConfigError as error:
        return DocumentCheck(Settings(), problem=Problem(str(error)))
    ignored = per_file_ignored(settings, relative_to_root(path, settings.root)) if path is not None else []
    check = DocumentCheck(settings, path if path is not None and path.is_file() else None, ignored)
    try:
        check.findings = lint_in_project(settings, check.path, text, ignored)
    except ParseError as error:
        line = _LINE.search(str(error))
        check.problem = Problem(f"not checked: {error}", int(line.group(1)) if line else 1)
    except Exception as error:  # a bug in a rule must not take the server down with it
        check.problem = Problem(f"internal error ({type(error).__name__}: {error}); please report it")
    return check


def settings_for(path: Optional[Path]) -> Settings:
    """As the CLI finds them for this one file. Read again on every check, so editing the config takes effect
    without restarting the server (the walk up to the nearest pyproject.toml is cheap next to the lint)."""
    return settings_near(path) if path is not None else Settings(root=Path.cwd())


def path_of(uri: str) -> Optional[Path]:
    """The file a `file:` URI names (percent-escapes decoded); None for unsaved buffers and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(url2pathname(parsed.path))
