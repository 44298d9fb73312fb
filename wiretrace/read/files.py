"""Whole-file reading shared by the one-article-per-file readers, and the one
way every reader opens a file (never blocking on a FIFO or a device)."""
from __future__ import annotations

import fcntl
import gzip
import os
import stat
import zlib
from pathlib import Path
from typing import BinaryIO

from ..model import Problem
from .decode import Unreadable, decode_bytes, remove_nul


def stem_id(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return name.rsplit(".", 1)[0] if "." in name else name


_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder"))


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "of an unknown kind")


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, socket, device...): never read."""


def not_regular_reason(mode: int) -> str:
    return f"skipped: not a regular file: {file_kind(mode)}"


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for binary reading, only if it is a regular file.  Opened
    non-blocking and checked on the open descriptor, so a FIFO put in place of a
    file is never waited on; raises NotRegular (with the reason) otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(not_regular_reason(mode))
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def oserror_problem(path: Path, e: OSError, line: int | None = None) -> Problem:
    if isinstance(e, NotRegular):
        return Problem(str(path), line, str(e))
    return Problem(str(path), line, f"cannot read: {e.strerror or e}")


def read_small_file(path: Path, max_bytes: int, declared: str | None = None) -> tuple[str, int] | Problem:
    """The decoded text of a one-article file and the number of NUL characters
    removed from it, or the Problem why it cannot be read."""
    try:
        with open_regular(path) as raw:
            size = os.fstat(raw.fileno()).st_size
            if size == 0:
                return Problem(str(path), None, "empty file")
            gz = path.name.lower().endswith(".gz")
            if not gz and size > max_bytes:
                return Problem(str(path), None, f"file too large ({size:,} bytes > limit {max_bytes:,}; see --max-bytes)")
            if gz:
                with gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                    data = fh.read(max_bytes + 1)
            else:
                data = raw.read(max_bytes + 1)
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        return Problem(str(path), None, f"broken gzip: {e or 'truncated'}")
    except OSError as e:
        return oserror_problem(path, e)
    if len(data) > max_bytes:
        return Problem(str(path), None, f"file too large (over {max_bytes:,} bytes uncompressed; see --max-bytes)")
    try:
        text = decode_bytes(data, declared)
    except Unreadable as e:
        return Problem(str(path), None, str(e))
    text, nuls = remove_nul(text)
    if not text.strip():
        return Problem(str(path), None, "empty file (only whitespace)" if not nuls else "empty file (only NUL and whitespace)")
    return text, nuls


def opening_problem(path: Path | str, e: BaseException) -> Problem:
    """The problem of a file that could not be opened or started: a broken gzip
    stream or an OS error."""
    if isinstance(e, (EOFError, gzip.BadGzipFile, zlib.error)):
        return Problem(str(path), None, f"broken gzip: {e or 'truncated'}")
    return Problem(str(path), None, f"cannot read: {getattr(e, 'strerror', None) or e}")
