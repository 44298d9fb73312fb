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


def _read_array(path: Path, enc: str, max_bytes: int, fmap) -> Iterator[RawDoc | Problem]:
    """The items of a top-level JSON array, decoded one at a time from a sliding buffer."""
    where = str(path)
    stem = stem_id(path)
    dec = json.JSONDecoder()
    decoder = codecs.getincrementaldecoder(enc)(errors="strict")
    buf, pos = "", 0
    base_line = 1           # the line number of buf[0]
    eof = False
    n = 0

    def line_at(i: int) -> int:
        return base_line + buf.count("\n", 0, i)

    try:
        with _open_binary(path) as fh:
            def fill(want: int = CHUNK) -> bool:
                """Read more; drops what was consumed. False at the end of the file."""
                nonlocal buf, pos, base_line, eof
                if eof:
                    return False
                base_line += buf.count("\n", 0, pos)
                buf, pos = buf[pos:], 0
                data = fh.read(want)
                if not data:
                    eof = True
                    buf += decoder.decode(b"", final=True)
                    return False
                buf += decoder.decode(data)
                return True

            def skip_ws() -> str:
                """The next non-blank character ('' at the end), not consumed."""
                nonlocal pos
                while True:
                    while pos < len(buf) and buf[pos] in _WS + "\ufeff":
                        pos += 1
                    if pos < len(buf):
                        return buf[pos]
                    if not fill():
                        return ""

            skip_ws()
            pos += 1                                       # the '['
            while True:
                c = skip_ws()
                if c == "]":
                    pos += 1
                    break
                if n > 0:
                    if c != ",":
                        yield Problem(where, line_at(pos), f"broken JSON after item {n}: expected ',' or ']', "
                                      f"found {c!r}" if c else f"broken JSON: the array is not closed after item {n}")
                        return
                    pos += 1
                    c = skip_ws()
                if not c:
                    yield Problem(where, line_at(pos), f"broken JSON: the array is not closed after item {n}")
                    return
                n += 1
                start_line = line_at(pos)
                while True:
                    try:
                        obj, end = dec.raw_decode(buf, pos)
                        if end < len(buf) or eof:
                            break                          # (a number cut at the buffer's end is not whole)
                    except json.JSONDecodeError as e:
                        if eof:
                            yield Problem(where, e.lineno + base_line - 1,
                                          f"item {n}: broken JSON: {e.msg}; the rest of the file is not read")
                            return
                    if len(buf) - pos > max_bytes:
                        yield Problem(where, start_line, f"item {n} is broken JSON or too large (no whole item "
                                      f"in {max_bytes:,} characters; see --max-bytes); the rest of the file is not read")
                        return
                    fill(max(CHUNK, len(buf) - pos))       # grow geometrically: linear time overall
                if end - pos > max_bytes:
                    pos = end
                    yield Problem(where, start_line, f"item {n} too large (over {max_bytes:,} characters; "
                                  "see --max-bytes)")
                    continue
                pos = end
                doc = record_to_doc(obj, item_origin(where, n), fmap, kind="json", default_id=f"{stem}-{n}")
                yield from doc_items(doc, where, start_line, prefix=f"item {n}: ")
            c = skip_ws()
            if c:
                yield Problem(where, line_at(pos), f"text after the array's closing ']' (found {c!r}); ignored")
    except UnicodeDecodeError as e:
        yield Problem(where, line_at(pos), f"not {enc} text ({e.reason}) after item {n}; the rest of the file is not read")
        return
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield Problem(where, line_at(pos), f"broken gzip after item {n}: {e or 'truncated'}")
        return
    except OSError as e:
        yield Problem(where, None, f"cannot read: {e.strerror or e}")
        return
    if n == 0:
        yield Problem(where, None, "empty array: no articles")
