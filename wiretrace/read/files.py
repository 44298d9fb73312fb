"""Whole-file reading shared by the one-article-per-file readers."""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from ..model import Problem
from .decode import Unreadable, decode_bytes


def stem_id(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    return name.rsplit(".", 1)[0] if "." in name else name


def read_small_file(path: Path, max_bytes: int, declared: str | None = None) -> str | Problem:
    """The decoded text of a one-article file, or the Problem why not."""
    try:
        size = path.stat().st_size
        if size == 0:
            return Problem(str(path), None, "empty file")
        gz = path.name.lower().endswith(".gz")
        if not gz and size > max_bytes:
            return Problem(str(path), None, f"file too large ({size:,} bytes > limit {max_bytes:,}; see --max-bytes)")
        if gz:
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        else:
            data = path.read_bytes()
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        return Problem(str(path), None, f"broken gzip: {e or 'truncated'}")
    except OSError as e:
        return Problem(str(path), None, f"cannot read: {e.strerror or e}")
    if len(data) > max_bytes:
        return Problem(str(path), None, f"file too large (over {max_bytes:,} bytes uncompressed; see --max-bytes)")
    try:
        text = decode_bytes(data, declared)
    except Unreadable as e:
        return Problem(str(path), None, str(e))
    if not text.strip():
        return Problem(str(path), None, "empty file (only whitespace)")
    return text
