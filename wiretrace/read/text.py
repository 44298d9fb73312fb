"""``*.txt``: one article as plain text (often scraped, with page leftovers)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Problem, RawDoc
from .decode import nul_reason
from .files import read_small_file, stem_id


def read_text_file(path: Path, *, max_bytes: int) -> Iterator[RawDoc | Problem]:
    got = read_small_file(path, max_bytes)
    if isinstance(got, Problem):
        yield got
        return
    text, nuls = got
    if nuls:
        yield Problem(str(path), None, nul_reason(nuls))
    yield RawDoc(id=stem_id(path), text=text, origin=str(path), kind="text")
