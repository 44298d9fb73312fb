"""analysis.json written as a stream: every top-level list one element per line.

``json.dumps(doc, indent=...)`` runs Python's pure-Python encoder (the C one is used
only without ``indent``) and builds the whole file as one string: at 100,000
articles that is most of a minute and a string of several hundred MB.  Here each
element goes through the C encoder on its own and is written at once, so memory
holds one element's text at a time; the file is still one JSON document, and a
line is one article, story or derivation (easy to grep and to diff).
"""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


def json_lines(doc: dict) -> Iterator[str]:
    """The JSON text of ``doc`` in pieces (see the module docstring)."""
    yield "{"
    for n, (key, value) in enumerate(doc.items()):
        yield ("," if n else "") + "\n" + json.dumps(str(key), ensure_ascii=False) + ": "
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value):
            yield "["   # a list, or a lazy view (``model.analysis.Mapped``): one element at a time
            for k, item in enumerate(value):
                yield ("," if k else "") + "\n" + json.dumps(item, ensure_ascii=False)
            yield "\n]"
        else:
            yield json.dumps(list(value) if isinstance(value, Sequence) and not isinstance(value, str) else value,
                             ensure_ascii=False)
    yield "\n}\n"


def write_json(doc: dict, out: str | Path | IO[str]) -> None:
    """Write ``doc`` to ``out`` (see ``output_stream``)."""
    with output_stream(out) as f:
        for piece in json_lines(doc):
            f.write(piece)


@contextmanager
def output_stream(out: str | Path | IO[str]) -> Iterator[IO[str]]:
    """A text stream to write analysis.json to: for a path, ``NAME.part``, renamed to
    the name once it is whole (a killed run never leaves half a file under the name,
    and a failed write leaves none); ``"-"``: standard output; an open stream: itself."""
    if hasattr(out, "write"):
        yield out
        return
    if str(out) == "-":
        yield sys.stdout
        return
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            yield f
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
