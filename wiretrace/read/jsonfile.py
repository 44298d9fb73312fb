"""``*.json`` (optionally gzipped): one article (an object: news-please and
newspaper-style scrapers write one file per article) or an array of them.

Fields are mapped by ``fields.py`` (news-please's ``maintext``,
``date_publish``, ``source_domain``, ``title``, ``url`` are recognised).  A
one-article file without an id column takes the file stem as its id, as .txt
and .html files do; an array item without one, the stem and its number.

An array is streamed item by item (each item up to ``--max-bytes``), so a large
export is never held whole.
"""
from __future__ import annotations

import codecs
import gzip
import json
import zlib
from pathlib import Path
from typing import IO, Iterator

from ..model import Problem, RawDoc
from .fields import as_map, record_to_doc
from .decode import nul_reason
from .files import opening_problem, read_small_file, stem_id
from .fields import doc_items

#: Characters decoded at a time while streaming an array.
CHUNK = 1 << 20
_WS = " \t\r\n"


def item_origin(path: str, n: int) -> str:
    return f"{path}#item{n}"


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _first_char(path: Path) -> tuple[str, str]:
    """(encoding, first non-blank character) of a JSON file."""
    with _open_binary(path) as fh:
        head = fh.read(4096)
    enc = "utf-8-sig"
    for bom, e in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                   (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            enc = e
            break
    text = codecs.getincrementaldecoder(enc)(errors="replace").decode(head)
    stripped = text.lstrip(_WS + "\ufeff")
    return enc, stripped[:1]


def read_json_file(path: Path, *, max_bytes: int, fields=None) -> Iterator[RawDoc | Problem]:
    where = str(path)
    fmap = as_map(fields)
    try:
        enc, first = _first_char(path)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as e:
        yield opening_problem(where, e)
        return
    if first == "[":
        yield from _read_array(path, enc, max_bytes, fmap)
        return
    if first != "{":
        yield Problem(where, None, "empty file" if not first else
                      "not a JSON article file (expected an object or an array of objects)")
        return
    got = read_small_file(path, max_bytes)
    if isinstance(got, Problem):
        yield got
        return
    text, nuls = got
    if nuls:                           # raw NUL bytes in the file (the readers' NUL rule)
        yield Problem(where, None, nul_reason(nuls))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        yield Problem(where, e.lineno, f"broken JSON: {e.msg} at column {e.colno}")
        return
    doc = record_to_doc(obj, where, fmap, kind="json", default_id=stem_id(path))
    yield from doc_items(doc, where, None)


class _Stream:
    """A sliding window of decoded text over a binary file: what was consumed (before
    ``pos``) is dropped at the next read; ``base_line`` is the line number of buf[0]."""

    def __init__(self, enc: str):
        self.fh: IO[bytes] | None = None
        self.decoder = codecs.getincrementaldecoder(enc)(errors="strict")
        self.json = json.JSONDecoder()
        self.buf, self.pos = "", 0
        self.base_line = 1
        self.eof = False

    def line_at(self, i: int) -> int:
        return self.base_line + self.buf.count("\n", 0, i)

    def fill(self, want: int | None = None) -> bool:
        """Read more (``CHUNK`` characters unless told); drops what was consumed.
        False at the end of the file."""
        if self.eof:
            return False
        want = CHUNK if want is None else want
        self.base_line += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos:], 0
        data = self.fh.read(want)
        if not data:
            self.eof = True
            self.buf += self.decoder.decode(b"", final=True)
            return False
        self.buf += self.decoder.decode(data)
        return True

    def skip_ws(self) -> str:
        """The next non-blank character ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WS + "\ufeff":
                self.pos += 1
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""


def _before_item(st: _Stream, where: str, n: int) -> bool | Problem:
    """Move to the start of item n+1 (past the ',' after item n): True when there is
    one, False at the array's closing ']' (consumed), or the Problem that ends the
    reading of a broken array."""
    c = st.skip_ws()
    if c == "]":
        st.pos += 1
        return False
    if n > 0:
        if c != ",":
            return Problem(where, st.line_at(st.pos), f"broken JSON after item {n}: expected ',' or ']', "
                           f"found {c!r}" if c else f"broken JSON: the array is not closed after item {n}")
        st.pos += 1
        c = st.skip_ws()
    if not c:
        return Problem(where, st.line_at(st.pos), f"broken JSON: the array is not closed after item {n}")
    return True


def _decode_item(st: _Stream, where: str, n: int, start_line: int, max_bytes: int) -> tuple[object, int] | Problem:
    """(value, end) of item ``n``, which starts at st.pos, reading on until it is whole;
    or the Problem that ends the reading (broken JSON, or no whole item in ``max_bytes``)."""
    while True:
        try:
            obj, end = st.json.raw_decode(st.buf, st.pos)
            if end < len(st.buf) or st.eof:
                return obj, end                    # (a number cut at the buffer's end is not whole)
        except json.JSONDecodeError as e:
            if st.eof:
                return Problem(where, e.lineno + st.base_line - 1,
                               f"item {n}: broken JSON: {e.msg}; the rest of the file is not read")
        if len(st.buf) - st.pos > max_bytes:
            return Problem(where, start_line, f"item {n} is broken JSON or too large (no whole item "
                           f"in {max_bytes:,} characters; see --max-bytes); the rest of the file is not read")
        st.fill(max(CHUNK, len(st.buf) - st.pos))  # grow geometrically: linear time overall


def _read_array(path: Path, enc: str, max_bytes: int, fmap) -> Iterator[RawDoc | Problem]:
    """The items of a top-level JSON array, decoded one at a time from a sliding buffer."""
    where = str(path)
    stem = stem_id(path)
    st = _Stream(enc)
    n = 0
    try:
        with _open_binary(path) as fh:
            st.fh = fh
            st.skip_ws()
            st.pos += 1                                    # the '['
            while True:
                more = _before_item(st, where, n)
                if isinstance(more, Problem):
                    yield more
                    return
                if not more:
                    break
                n += 1
                start_line = st.line_at(st.pos)
                got = _decode_item(st, where, n, start_line, max_bytes)
                if isinstance(got, Problem):
                    yield got
                    return
                obj, end = got
                too_large = end - st.pos > max_bytes
                st.pos = end
                if too_large:
                    yield Problem(where, start_line, f"item {n} too large (over {max_bytes:,} characters; "
                                  "see --max-bytes)")
                    continue
                doc = record_to_doc(obj, item_origin(where, n), fmap, kind="json", default_id=f"{stem}-{n}")
                yield from doc_items(doc, where, start_line, prefix=f"item {n}: ")
            c = st.skip_ws()
            if c:
                yield Problem(where, st.line_at(st.pos), f"text after the array's closing ']' (found {c!r}); ignored")
    except UnicodeDecodeError as e:
        yield Problem(where, st.line_at(st.pos), f"not {enc} text ({e.reason}) after item {n}; the rest of the file is not read")
        return
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield Problem(where, st.line_at(st.pos), f"broken gzip after item {n}: {e or 'truncated'}")
        return
    except OSError as e:
        yield Problem(where, None, f"cannot read: {e.strerror or e}")
        return
    if n == 0:
        yield Problem(where, None, "empty array: no articles")
