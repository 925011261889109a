"""`tflint-bnn server`: a Language Server over stdio, for editors (needs the `lsp` extra, which installs pygls).

What it publishes is what `tflint-bnn FILE` reports for the editor's text: the same settings (the nearest
pyproject.toml above the document), the same Linter, and each fix as a quick fix. A document the linter cannot
check (a syntax error, a bad config) gets one error diagnostic that says why, instead of stale or no findings.
"""

from __future__ import annotations

import argparse
import sys
from typing import List

_MISSING = "tflint-bnn: error: the language server needs pygls: pip install 'tflint-bnn[lsp]'\n"
_LSP_PACKAGES = {"pygls", "lsprotocol"}


def main(arguments: List[str]) -> int:
    argparse.ArgumentParser(
        prog="tflint-bnn server",
        description="Run the Language Server Protocol server on stdin/stdout (started by an editor, not by hand).",
    ).parse_args(arguments)
    try:
        from tflint_bnn.server.lsp import create_server
    except ImportError as error:
        # Only a missing or too old (1.x) pygls is the user's to fix; an ImportError of ours must surface.
        if (error.name or "").split(".")[0] not in _LSP_PACKAGES:
            raise
        sys.stderr.write(_MISSING)
        return 2
    server = create_server()
    server.start_io()  # returns when the client sends `exit` or closes stdin
    return 0 if server.shutdown_requested else 1
