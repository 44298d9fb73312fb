"""Articles given as Python records (dicts) or a pandas DataFrame, for the Python
API: mapped by ``fields.py`` exactly as JSONL, JSON, CSV and Parquet rows are."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..model import Problem, RawDoc
from .fields import as_map, record_to_doc
from .fields import doc_items

RECORDS = "<records>"
DATAFRAME = "<dataframe>"


def is_dataframe(obj: Any) -> bool:
    return type(obj).__module__.split(".")[0] == "pandas" and hasattr(obj, "columns") and hasattr(obj, "itertuples")


def records_to_docs(records: Iterable[Any], *, name: str = RECORDS, fields=None, max_bytes: int | None = None,
                    kind: str = "records") -> Iterator[RawDoc | Problem]:
    """Each record (a dict) as a RawDoc, or a Problem naming ``name``, the record's
    number (from 1) and the column.  A record without an id column gets
    ``record-N`` (``row-N`` for a DataFrame)."""
    fmap = as_map(fields)
    prefix = "row" if kind == "dataframe" else "record"
    for n, rec in enumerate(records, 1):
        if not isinstance(rec, dict):
            yield Problem(name, n, f"not a record (a dict), got {type(rec).__name__}")
            continue
        if max_bytes is not None:
            resolved, _ = fmap.resolve(rec.keys())
            big = [c for c in (resolved.get("text"), resolved.get("html"))
                   if c and isinstance(rec.get(c), str) and len(rec[c]) > max_bytes]
            if big:
                yield Problem(name, n, f"column {big[0]!r} too large (over {max_bytes:,} characters; see max_bytes)")
                continue
        doc = record_to_doc(rec, f"{name}#{prefix}{n}", fmap, kind=kind, default_id=f"{prefix}-{n}")
        yield from doc_items(doc, name, n)


def dataframe_to_docs(df: Any, *, fields=None, max_bytes: int | None = None) -> Iterator[RawDoc | Problem]:
    """Each row of a pandas DataFrame as a RawDoc (its index is not used)."""
    columns = [str(c) for c in df.columns]
    if len(set(columns)) != len(columns):
        dup = sorted({c for c in columns if columns.count(c) > 1})
        yield Problem(DATAFRAME, None, f"duplicate column names {dup}: every column needs its own name")
        return
    rows = (dict(zip(columns, t)) for t in df.itertuples(index=False, name=None))
    yield from records_to_docs(rows, name=DATAFRAME, fields=fields, max_bytes=max_bytes, kind="dataframe")


def read_inputs(inputs: Iterable[Any], *, max_bytes: int, fields=None) -> Iterator[RawDoc | Problem]:
    """Documents from a mix of paths (read by ``read_paths``) and documents or
    problems already made (records), in the order given."""
    from . import read_paths
    batch: list = []
    for x in inputs:
        if isinstance(x, (RawDoc, Problem)):
            if batch:
                yield from read_paths(batch, max_bytes=max_bytes, fields=fields)
                batch = []
            yield x
        else:
            batch.append(x)
    if batch:
        yield from read_paths(batch, max_bytes=max_bytes, fields=fields)
