"""``*.txt``: one article as plain text (often scraped, with page leftovers)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..model import Problem, RawDoc
from .files import read_small_file, stem_id


def read_text_file(path: Path, *, max_bytes: int) -> Iterator[RawDoc | Problem]:
    text = read_small_file(path, max_bytes)
    if isinstance(text, Problem):
        yield text
        return
    yield RawDoc(id=stem_id(path), text=text, origin=str(path), kind="text")
