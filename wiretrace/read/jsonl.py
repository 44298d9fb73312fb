"""``*.jsonl`` (optionally gzipped): one article per line (spec/CONTRACT.md)."""
from __future__ import annotations

import gzip
import json
import zlib
from contextlib import nullcontext
from pathlib import Path
from typing import IO, Iterator

from ..model import Problem, RawDoc
from .decode import Unreadable, decode_bytes
from .fields import doc_items, record_to_doc as map_record
from .files import open_regular, oserror_problem


def _lines(fh: IO[bytes], max_bytes: int, first: int = 1, end: int | None = None) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line, numbered from ``first``; ``None`` for a
    line over the cap, which is skipped without holding it in memory.  With
    ``end``: only the lines that start before byte ``end`` (a byte range of the file)."""
    n = first - 1
    while True:
        if end is not None and fh.tell() >= end:
            return
        chunk = fh.readline(max_bytes + 1)
        if not chunk:
            return
        n += 1
        if len(chunk) > max_bytes and not chunk.endswith(b"\n"):
            while chunk and not chunk.endswith(b"\n"):      # drain the rest of the line
                chunk = fh.readline(1 << 20)
            yield n, None
            continue
        yield n, chunk


def jsonl_line(path: str, n: int, raw: bytes | None, max_bytes: int, fields=None) -> list[RawDoc | Problem]:
    """One JSONL line (number ``n``) as items: nothing for a blank line, a problem, or
    a document (after a problem saying how many NUL characters were removed, if any)."""
    if raw is None:
        return [Problem(path, n, f"line too long (over {max_bytes:,} bytes; see --max-bytes)")]
    if not raw.strip():
        return []
    try:
        line = decode_bytes(raw)
    except Unreadable as e:
        return [Problem(path, n, str(e))]
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return [Problem(path, n, f"broken JSON: {e.msg} at column {e.colno}")]
    return doc_items(record_to_doc(obj, f"{path}:{n}", fields), path, n)


def read_jsonl_range(path: Path, origin: str, start: int, end: int, newlines_before: int, *,
                     max_bytes: int, fields=None) -> Iterator[tuple[int, RawDoc | Problem]]:
    """(line number, item) for the lines of a plain (not gzipped) JSONL file that
    start in bytes ``[start, end)``; ``newlines_before`` counts the newline bytes
    in ``[0, start)`` (the Spark engine reads a large file in ranges; ``origin``
    names the file in documents and problems).  Each line is read exactly as
    ``read_jsonl_file`` reads it."""
    first = newlines_before + 1             # the line that starts right at ``start``
    with open_regular(path) as fh:
        if start > 0:
            fh.seek(start - 1)
            if fh.read(1) != b"\n":
                first += 1                  # ... unless the line there began before the range:
                while True:                 # it is the previous range's; skip past its end
                    chunk = fh.readline(1 << 20)
                    if not chunk or chunk.endswith(b"\n"):
                        break
        for n, raw in _lines(fh, max_bytes, first, end):
            for item in jsonl_line(origin, n, raw, max_bytes, fields):
                yield n, item


def count_newlines(path: Path, start: int, end: int, block: int = 1 << 20) -> int:
    """Newline bytes in ``[start, end)`` of a file."""
    c = 0
    with open(path, "rb") as fh:
        fh.seek(start)
        left = end - start
        while left > 0:
            b = fh.read(min(block, left))
            if not b:
                break
            c += b.count(b"\n")
            left -= len(b)
    return c


def record_to_doc(obj: object, origin: str, fields=None) -> RawDoc | str:
    """A JSONL object as a RawDoc, or the reason it is not one (the field mapping
    of ``fields.py``: the same for every record-shaped input)."""
    return map_record(obj, origin, fields, kind="jsonl")


def read_jsonl_file(path: Path, *, max_bytes: int, fields=None) -> Iterator[RawDoc | Problem]:
    gz = path.name.lower().endswith(".gz")
    n = 0
    any_line = False
    try:
        with open_regular(path) as raw_fh, (gzip.GzipFile(fileobj=raw_fh, mode="rb") if gz else nullcontext(raw_fh)) as fh:
            for n, raw in _lines(fh, max_bytes):
                if raw is not None:
                    if not raw.strip():
                        continue
                    any_line = True
                yield from jsonl_line(str(path), n, raw, max_bytes, fields)
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield Problem(str(path), n + 1, f"broken gzip after line {n}: {e or 'truncated'}")
        return
    except OSError as e:
        yield oserror_problem(path, e)
        return
    if not any_line:
        yield Problem(str(path), None, "empty file")
