"""``*.warc``/``*.warc.gz``: every HTML ``response`` record is one article,
its id the record's target URI.

A file cut short (a crawl interrupted, a download stopped) ends inside its last
record: that record is a problem naming its number and byte offset, never a
short article; the complete records before it are read.  A record's items are
held back until the next record has been parsed (or the file is known to end
cleanly), since only then is it known to be whole.
"""
from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model import Problem, RawDoc
from .decode import Unreadable, decode_bytes, nul_reason, remove_nul
from .files import open_regular, oserror_problem

_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def _starts_like_warc(head: bytes) -> bool:
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head)
        except zlib.error:
            return False
    return head.lstrip()[:5] == b"WARC/"


def gzip_tail_cut(fh, start: int, block: int = 1 << 16) -> int | None:
    """Where the gzip member that the file ends inside starts (a cut or corrupt
    member), looking only at the members from byte ``start``; None when the file
    ends at the end of a member."""
    fh.seek(start)
    d = zlib.decompressobj(31)
    member_start: int | None = None      # the offset of the member being read, once it has bytes
    pos = start                          # the file offset of ``data[0]``
    data = b""
    try:
        while True:
            if not data:
                data = fh.read(block)
                if not data:
                    return member_start
            if member_start is None:
                member_start = pos
            d.decompress(data, 1 << 20)        # output not needed: only where members end
            if d.eof:
                pos += len(data) - len(d.unused_data)
                data = d.unused_data
                d = zlib.decompressobj(31)
                member_start = None
            else:
                pos += len(data) - len(d.unconsumed_tail)
                data = d.unconsumed_tail
    except zlib.error:
        return member_start if member_start is not None else pos


def _cut(path: Path, n: int, offset: int) -> Problem:
    return Problem(str(path), n, f"record {n} (at byte {offset:,}) is cut short: the file ends inside it "
                                 f"(truncated WARC); the records before it are read")


def _record_items(path: Path, record, n: int, max_bytes: int) -> list[RawDoc | Problem]:
    """What one record gives: nothing (not an HTML response), a problem, or a document."""
    if record.rec_type != "response":
        return []
    ctype = ""
    if record.http_headers is not None:
        ctype = record.http_headers.get_header("Content-Type") or ""
    if "html" not in ctype.lower():
        return []
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path.name}#{n}"
    where = f"{path}#record{n}"
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return [Problem(str(path), n, f"record {uri} too large (over {max_bytes:,} bytes)")]
    if not data.strip():
        return [Problem(str(path), n, f"record {uri} has an empty body")]
    m = _CHARSET.search(ctype)
    try:
        html = decode_bytes(data, m.group(1) if m else None)
    except Unreadable as e:
        return [Problem(str(path), n, f"record {uri}: {e}")]
    html, nuls = remove_nul(html)
    doc = RawDoc(id=uri, html=html, url=uri, origin=where, kind="warc",
                 fields={"crawled": record.rec_headers.get_header("WARC-Date")})
    return [Problem(str(path), n, nul_reason(nuls, f"record {uri}")), doc] if nuls else [doc]


def read_warc_file(path: Path, *, max_bytes: int) -> Iterator[RawDoc | Problem]:
    try:
        fh = open_regular(path)
    except OSError as e:
        yield oserror_problem(path, e)
        return
    with fh:
        yield from _read_warc(path, fh, max_bytes)


def _read_warc(path: Path, fh, max_bytes: int) -> Iterator[RawDoc | Problem]:
    head = fh.read(4096)
    if not head:
        yield Problem(str(path), None, "empty file")
        return
    if not _starts_like_warc(head):
        yield Problem(str(path), None, "not a WARC file (no 'WARC/' header at the start)")
        return
    fh.seek(0)
    gz = head[:2] == b"\x1f\x8b"
    n = 0
    found = False
    pending: list[RawDoc | Problem] = []     # the last record's items, until it is known whole
    record = None
    offset = 0
    it = ArchiveIterator(fh)
    try:
        for record in it:
            yield from pending                 # a next record was parsed: the previous one is whole
            found = found or any(isinstance(i, RawDoc) for i in pending)
            n += 1
            offset = it.offset
            pending = _record_items(path, record, n, max_bytes)
            if record.raw_stream.limit > 0 and any(isinstance(i, RawDoc) for i in pending):
                pending = [_cut(path, n, offset)]     # content ended before its Content-Length
    except Exception as e:       # warcio fails in many ways on a cut or broken record
        if record is not None and record.raw_stream.limit > 0:
            yield _cut(path, n, offset)
        else:
            yield from pending
            msg = str(e).strip().splitlines()[0][:200] if isinstance(e, ArchiveLoadFailed) and str(e).strip() \
                else f"{type(e).__name__}: {e or 'truncated'}"
            yield Problem(str(path), n + 1, f"broken WARC at record {n + 1} (after byte {it.offset:,}): {msg}")
        return
    if record is not None and (record.raw_stream.limit > 0
                               or not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit()):
        yield _cut(path, n, offset)            # short of its Content-Length, or cut before that header
        return
    cut_at = gzip_tail_cut(fh, offset) if gz and record is not None else None
    if not gz and record is not None:          # a record cut inside its header block ends
        end = it.offset                        # warcio's iteration without an error
        fh.seek(end)
        if fh.read(1 << 12).strip():
            cut_at = end
    if cut_at is not None and cut_at <= offset:
        yield _cut(path, n, offset)            # the last record's own member is cut
        return
    yield from pending
    if cut_at is not None:                     # a member after the last whole record
        yield _cut(path, n + 1, cut_at)
        return
    found = found or any(isinstance(i, RawDoc) for i in pending)
    if not found and n == 0:
        yield Problem(str(path), None, "no WARC records (empty or not a WARC file)")
    elif not found and not any(isinstance(i, Problem) for i in pending):
        yield Problem(str(path), None, f"no HTML response records among {n} records")
