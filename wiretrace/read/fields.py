"""One field mapping for every record-shaped input: JSONL lines, JSON files,
CSV/TSV rows, Parquet rows, Python dicts and DataFrame rows.

An article has the fields below; each is looked for under several common
column names (the first present wins; exact name first, then ignoring case),
and ``--field NAME=COLUMN`` names the one column to use instead.  Columns that
are not used for a field are passed through untouched as the article's extra
fields.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..model import Problem, RawDoc
from .decode import nul_reason, remove_nul

#: Field -> the column names recognised for it, in order of preference
#: (Media Cloud exports, news-please JSON, newspaper-style scrapers, wiretrace's own JSONL).
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "stories_id"),
    "text": ("text", "body", "content", "maintext", "article"),
    "html": ("html",),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "media_name", "source_domain", "publisher"),
    "published": ("published", "date", "publish_date", "date_publish", "publication_date"),
    "title": ("title", "headline"),
    "authors": ("authors", "author"),
}
FIELD_NAMES = tuple(DEFAULT_COLUMNS)


class FieldError(ValueError):
    """A field mapping that cannot be used (the message says why)."""


def parse_field_options(items: Iterable[str]) -> dict[str, str]:
    """``["text=body_text", "id=stories_id"]`` -> ``{"text": "body_text", ...}``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not sep or not name or not column:
            raise FieldError(f"--field {item!r}: expected NAME=COLUMN, e.g. text=body_text")
        if name not in DEFAULT_COLUMNS:
            raise FieldError(f"--field {item!r}: unknown field {name!r} (one of {', '.join(FIELD_NAMES)})")
        if name in out and out[name] != column:
            raise FieldError(f"--field {name}= given twice ({out[name]!r} and {column!r})")
        out[name] = column
    return out


@dataclass(frozen=True)
class FieldMap:
    """The mapping in force: defaults, with ``overrides`` (field -> column) winning."""
    overrides: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        for name in self.overrides:
            if name not in DEFAULT_COLUMNS:
                raise FieldError(f"unknown field {name!r} (one of {', '.join(FIELD_NAMES)})")

    def resolve(self, columns: Iterable[str]) -> tuple[dict[str, str], list[str]]:
        """(field -> column used, problems) for a record with these column names.
        A problem is an override naming a column that is not there."""
        cols = list(columns)
        present = set(cols)
        lower: dict[str, str] = {}
        for c in cols:
            if isinstance(c, str):
                lower.setdefault(c.lower(), c)
        used: dict[str, str] = {}
        missing: list[str] = []
        taken: set[str] = set()
        for name, candidates in DEFAULT_COLUMNS.items():
            if name in self.overrides:
                col = self.overrides[name]
                if col in present:
                    used[name] = col
                    taken.add(col)
                else:
                    missing.append(f"no column {col!r} (--field {name}={col})")
                continue
            for cand in candidates:
                col = cand if cand in present else lower.get(cand)
                if col is not None and col not in taken and col not in self.overrides.values():
                    used[name] = col
                    taken.add(col)
                    break
        return used, missing


DEFAULT_MAP = FieldMap()


def as_map(fields: FieldMap | Mapping[str, str] | None) -> FieldMap:
    if fields is None:
        return DEFAULT_MAP
    return fields if isinstance(fields, FieldMap) else FieldMap(dict(fields))


def _missing(v: Any) -> bool:
    """An empty cell: None, NaN (pandas/Parquet nulls), or a blank string."""
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return isinstance(v, str) and not v.strip()


def _plain(v: Any) -> Any:
    """A cell as a JSON-able value (dates as ISO 8601, numpy scalars as Python ones)."""
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    if isinstance(v, float) and math.isnan(v):
        return None
    item = getattr(v, "item", None)                 # numpy / pandas scalars
    if callable(item) and type(v).__module__.split(".")[0] in ("numpy", "pandas"):
        try:
            return _plain(item())
        except (TypeError, ValueError):
            pass
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    iso = getattr(v, "isoformat", None)             # pandas.Timestamp and friends
    if callable(iso):
        return iso()
    tolist = getattr(v, "tolist", None)             # numpy arrays (list columns)
    if callable(tolist):
        return _plain(tolist())
    return v


def _where(col: str, shown: bool) -> str:
    return f" (column {col!r})" if shown else ""


def record_to_doc(obj: object, origin: str, fields: FieldMap | Mapping[str, str] | None = None, *,
                  kind: str = "jsonl", default_id: str | None = None,
                  resolved: dict[str, str] | None = None) -> RawDoc | str:
    """A record (a dict of column -> value) as a RawDoc, or the reason it is not one
    (naming the column).  ``default_id`` is used when the record has no id column
    (one-article files: the file stem); ``resolved`` is the field -> column map of
    a table whose header was resolved once."""
    if not isinstance(obj, dict):
        return f"not a JSON object (got {type(obj).__name__})"
    fmap = as_map(fields)
    if resolved is None:
        resolved, missing = fmap.resolve(obj.keys())
        if missing:
            return "; ".join(missing)
    col = resolved.get
    # a column named differently from the field is named in every message about it
    named = {n: c for n, c in resolved.items() if c != n}

    def get(name):
        c = col(name)
        return None if c is None else obj.get(c)

    aid = _plain(get("id"))
    if _missing(aid):
        c = col("id")
        if c is not None:
            return f"empty 'id'{_where(c, 'id' in named)}"
        if default_id is None:
            return "missing 'id'"
        aid = default_id
    if isinstance(aid, float) and aid.is_integer():
        aid = int(aid)
    if not isinstance(aid, (str, int)) or isinstance(aid, bool):
        return f"'id'{_where(col('id') or 'id', 'id' in named)} must be a string or number, got {type(aid).__name__}"
    vals = {}
    for name in ("text", "html"):
        v = get(name)
        if _missing(v):
            vals[name] = None
        elif not isinstance(v, str):
            return f"'{name}'{_where(col(name), name in named)} must be a string, got {type(v).__name__}"
        else:
            vals[name] = v
    if vals["text"] is None and vals["html"] is None:
        cols = [c for c in (col("text"), col("html")) if c is not None]
        if cols:
            return f"no 'text' or 'html' (one is required; column {' and '.join(repr(c) for c in cols)} empty)"
        return "no 'text' or 'html' (one is required)"
    unusable: set[str] = set()          # columns whose value fits no field: passed through, not lost
    str_or_none = {}
    for name in ("url", "outlet", "published", "title"):
        raw = get(name)
        v = _plain(raw)
        str_or_none[name] = v if isinstance(v, str) and v.strip() else None
        if str_or_none[name] is None and not _missing(raw):
            unusable.add(col(name))
    raw = get("authors")
    authors = _plain(raw)
    if isinstance(authors, str):
        authors = [authors] if authors.strip() else None
    if not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        authors = None
    if authors is None and not _missing(raw) and raw != []:
        unusable.add(col("authors"))
    used = set(resolved.values()) - unusable
    extra = {str(k): _plain(v) for k, v in obj.items() if k not in used}
    return RawDoc(id=str(aid), text=vals["text"], html=vals["html"], authors=authors,
                  fields=extra, origin=origin, kind=kind, **str_or_none)


def doc_items(doc: RawDoc | str, path: str, line: int | None, prefix: str = "") -> list[RawDoc | Problem]:
    """What a record-shaped input yields for one record: the problem when it is no
    article (``doc`` is the reason), else the document, after a problem saying how
    many NUL characters were removed from it (the NUL rule of every reader)."""
    if isinstance(doc, str):
        return [Problem(path, line, prefix + doc)]
    doc, lone = without_surrogates(doc)
    found = [Problem(path, line, prefix + f"{lone} lone surrogate escape(s) (\\ud800-\\udfff, not text in any "
                     "encoding) replaced by U+FFFD")] if lone else []
    doc, nuls = without_nul(doc)
    if not nuls:
        return found + [doc]
    removed = nul_reason(sum(nuls.values()), ", ".join(f"'{k}'" for k in nuls))
    doc.text, doc.html = (doc.text if doc.text and doc.text.strip() else None,
                          doc.html if doc.html and doc.html.strip() else None)
    if doc.text is None and doc.html is None:
        return [Problem(path, line, prefix + "no 'text' or 'html' (one is required)")]
    return found + [Problem(path, line, prefix + removed), doc]


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(doc: RawDoc) -> tuple[RawDoc, int]:
    """The document with lone surrogates (a JSON escape such as ``\\ud800`` that is
    no character: nothing can encode it, not the store, not a page) replaced by
    U+FFFD in every field, unknown ones too; and how many there were."""
    count = 0

    def fix(v):
        nonlocal count
        if isinstance(v, str):
            new, n = _SURROGATE.subn("\ufffd", v)
            count += n
            return new
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {fix(k): fix(x) for k, x in v.items()}
        return v

    for k in ("id", "text", "html", "url", "outlet", "published", "title", "authors", "fields"):
        setattr(doc, k, fix(getattr(doc, k)))
    return doc, count


def without_nul(doc: RawDoc) -> tuple[RawDoc, dict[str, int]]:
    """The document with NUL characters removed from its known fields (unknown
    fields are passed through untouched), and how many were removed from each."""
    counts: dict[str, int] = {}
    for k in ("id", "text", "html", "url", "outlet", "published", "title", "authors"):
        v = getattr(doc, k)
        if isinstance(v, str):
            new, c = remove_nul(v)
        elif isinstance(v, list):
            parts = [remove_nul(x) if isinstance(x, str) else (x, 0) for x in v]
            new, c = [x for x, _ in parts], sum(c for _, c in parts)
        else:
            continue
        if c:
            setattr(doc, k, new)
            counts[k] = c
    return doc, counts
