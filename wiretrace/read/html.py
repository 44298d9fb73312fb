"""``*.html``/``*.htm`` (optionally gzipped): one article page."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from ..model import Problem, RawDoc
from .decode import nul_reason
from .files import read_small_file, stem_id

_MARKUP = re.compile(rb"<\s*(html|head|body|p|div|article|meta|title)\b", re.I)


def looks_like_html(text: str) -> bool:
    return bool(_MARKUP.search(text[:20000].encode("utf-8", "ignore")))


def read_html_file(path: Path, *, max_bytes: int) -> Iterator[RawDoc | Problem]:
    got = read_small_file(path, max_bytes)
    if isinstance(got, Problem):
        yield got
        return
    text, nuls = got
    if not looks_like_html(text):
        yield Problem(str(path), None, "not HTML (no markup found); rename it .txt to read it as plain text")
        return
    if nuls:
        yield Problem(str(path), None, nul_reason(nuls, "the page"))
    yield RawDoc(id=stem_id(path), html=text, origin=str(path), kind="html")
