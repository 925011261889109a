"""Reading sources (encoding, BOM, NUL bytes) and writing them back atomically with the same bytes conventions."""

from __future__ import annotations

import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A file that cannot be read as Python source; the message is one line, without the path."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str
    encoding: str  # as detected, "utf-8-sig" when the file starts with a BOM, so writing keeps it


def read_source(path: Path) -> SourceFile:
    return decode_source(path, read_file_bytes(path))


def read_file_bytes(path: Path) -> bytes:
    """The bytes of a regular file; anything else (a directory, FIFO, missing or unreadable path) is a SourceError."""
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO would block the run for good
            raise SourceError("not a regular file (a FIFO, socket or device)")
        data = path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a directory") from None
    except FileNotFoundError:
        raise SourceError("no such file (a dangling link?)" if path.is_symlink() else "no such file") from None
    except OSError as error:
        raise SourceError(f"cannot read: {error.strerror or error}") from None
    return data


def decode_source(path: Path, data: bytes) -> SourceFile:
    if b"\0" in data:
        raise SourceError("contains NUL bytes; not a Python source file")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError) as error:
        raise SourceError(f"cannot determine the encoding: {error}") from None
    except UnicodeDecodeError as error:
        raise SourceError(f"not valid {error.encoding}: {_undecodable(data, error.start)} cannot be decoded") from None
    return SourceFile(path, text, encoding)


def is_read_only(path: Path) -> bool:
    """No write bit set: the owner marked the file as not to be changed. Checked on the mode bits, not with
    os.access, because root may write any file, and a rename would replace a read-only one even for other users."""
    return not stat.S_IMODE(os.stat(path).st_mode) & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def _undecodable(data: bytes, offset: int) -> str:
    """`byte 0xe9 at line 6, column 12`: the value an editor would show, where it would show it (the column counts
    the characters before it on its line, as the findings' columns do)."""
    line_start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    line = data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - data.count(b"\r\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return f"byte 0x{data[offset]:02x} at line {line}, column {column}"


def write_source(source: SourceFile, text: str) -> None:
    """Replace the file in one step: a temp file in the same directory, then rename over the original.

    A reader (or a crash) sees either the old or the new content, never half of it; the mode bits are kept. A
    symbolic link stays a link: the file it points to is the one replaced.
    """
    data = text.encode(source.encoding)
    target = Path(os.path.realpath(source.path))
    mode = stat.S_IMODE(os.stat(target).st_mode)
    # A name near the 255-byte limit must still leave room for the temp name around it.
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name[:100]}.", suffix=".tflint-bnn", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except BaseException:
        if os.path.exists(temp_name):
            os.unlink(temp_name)
        raise
