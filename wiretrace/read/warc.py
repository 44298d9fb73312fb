"""``*.warc``/``*.warc.gz``: every HTML ``response`` record is one article,
its id the record's target URI."""
from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model import Problem, RawDoc
from .decode import Unreadable, decode_bytes

_CHARSET = re.compile(r"charset=([\w.:-]+)", re.I)


def _starts_like_warc(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(31).decompress(head)
        except zlib.error:
            return False
    return head.lstrip()[:5] == b"WARC/"


def read_warc_file(path: Path, *, max_bytes: int) -> Iterator[RawDoc | Problem]:
    n = 0
    found = False
    if path.stat().st_size == 0:
        yield Problem(str(path), None, "empty file")
        return
    if not _starts_like_warc(path):
        yield Problem(str(path), None, "not a WARC file (no 'WARC/' header at the start)")
        return
    try:
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for record in it:
                n += 1
                if record.rec_type != "response":
                    continue
                ctype = ""
                if record.http_headers is not None:
                    ctype = record.http_headers.get_header("Content-Type") or ""
                if "html" not in ctype.lower():
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI") or f"{path.name}#{n}"
                where = f"{path}#record{n}"
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield Problem(str(path), n, f"record {uri} too large (over {max_bytes:,} bytes)")
                    continue
                if not data.strip():
                    yield Problem(str(path), n, f"record {uri} has an empty body")
                    continue
                m = _CHARSET.search(ctype)
                try:
                    html = decode_bytes(data, m.group(1) if m else None)
                except Unreadable as e:
                    yield Problem(str(path), n, f"record {uri}: {e}")
                    continue
                found = True
                yield RawDoc(id=uri, html=html, url=uri, origin=where, kind="warc",
                             fields={"crawled": record.rec_headers.get_header("WARC-Date")})
    except ArchiveLoadFailed as e:
        yield Problem(str(path), n + 1, f"broken WARC at record {n + 1}: {str(e).splitlines()[0][:200]}")
        return
    except Exception as e:      # warcio fails in many ways on a cut record
        yield Problem(str(path), n + 1, f"broken WARC at record {n + 1}: {type(e).__name__}: {e or 'truncated'}")
        return
    if not found and n == 0:
        yield Problem(str(path), None, "no WARC records (empty or not a WARC file)")
    elif not found:
        yield Problem(str(path), None, f"no HTML response records among {n} records")
