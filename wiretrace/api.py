"""The Python API: ``wiretrace.analyze(...)`` for notebooks and scripts.

    import wiretrace
    result = wiretrace.analyze("corpus/")                     # files or folders
    result = wiretrace.analyze([{"id": "a1", "text": "..."}])  # records (dicts)
    result = wiretrace.analyze(df)                            # a pandas DataFrame
    result.to_dict()                                          # the analysis.json contract
    result.tables()["derivations"]                            # each table as a DataFrame (extra 'tables')

Records and DataFrame rows go through the field mapping that CSV, JSON and
Parquet files go through (``read/fields.py``; ``fields={"text": "body_text"}``
overrides it).  Everything runs on the local engine with its store: a
temporary one unless ``db`` names a file (then a second call only does the new work).
"""
from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .model import Analysis, Problem, RawDoc
from .pipeline import Options, RunInfo, analyze as _run
from .read.fields import FieldMap, as_map
from .read.records import dataframe_to_docs, is_dataframe, records_to_docs


class Result:
    """One analysis: its parts as the model's objects, ``to_dict()`` as analysis.json,
    ``tables()`` as pandas DataFrames, ``export(...)`` as files."""

    def __init__(self, analysis: Analysis, info: RunInfo):
        self.analysis = analysis
        self.info = info
        self._doc: dict | None = None

    # the parts, as in analysis.json
    @property
    def articles(self):
        return self.analysis.articles

    @property
    def stories(self):
        return self.analysis.stories

    @property
    def derivations(self):
        return self.analysis.derivations

    @property
    def quote_groups(self):
        return self.analysis.quote_groups

    @property
    def framing(self):
        return self.analysis.framing

    @property
    def storylines(self):
        return self.analysis.storylines

    @property
    def problems(self) -> list[Problem]:
        return self.analysis.problems

    def to_dict(self) -> dict:
        """The analysis.json document (docs/CONTRACT.md)."""
        if self._doc is None:
            self._doc = self.analysis.to_dict()
        return self._doc

    def save(self, path: str | Path) -> Path:
        """Write analysis.json to ``path`` (what ``wiretrace report`` and ``serve`` read)."""
        from .render.jsonfile import write_json
        path = Path(path)
        write_json(self.to_dict(), path)
        return path

    def tables(self) -> dict[str, Any]:
        """Every table (articles, derivations, passages, quotes, quote_groups,
        quote_group_members, stories, storylines, framing, signals) as a pandas
        DataFrame: the rows ``wiretrace export`` writes, nested values kept as
        Python lists and dicts.  Needs pandas (extra 'tables')."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Result.tables() needs pandas: pip install 'wiretrace[tables]'") from None
        from .render.tables import tables
        return {name: pd.DataFrame.from_records(rows, columns=columns)
                for name, (columns, rows) in tables(self.to_dict()).items()}

    def export(self, folder: str | Path, format: str = "csv") -> list[Path]:
        """The tables as files, as ``wiretrace export --format FORMAT`` writes them."""
        from .render.tables import export
        return export(self.to_dict(), folder, format)

    def __repr__(self) -> str:
        a = self.analysis
        return (f"<wiretrace analysis: {len(a.articles)} articles, {len(a.stories)} stories, "
                f"{len(a.derivations)} derivations, {len(a.problems)} problems>")


def _inputs(data: Any, fmap: FieldMap, max_bytes: int) -> list:
    """Paths, RawDocs and Problems for the pipeline, from what the caller gave."""
    if data is None:
        return []
    if isinstance(data, (str, Path)):
        return [data]
    if is_dataframe(data):
        return list(dataframe_to_docs(data, fields=fmap, max_bytes=max_bytes))
    if isinstance(data, Mapping):
        return list(records_to_docs([data], fields=fmap, max_bytes=max_bytes))
    if isinstance(data, Iterable):
        items = list(data)
        if all(isinstance(x, (str, Path)) for x in items):
            return items
        if all(isinstance(x, Mapping) for x in items):
            return list(records_to_docs([dict(x) for x in items], fields=fmap, max_bytes=max_bytes))
        kinds = sorted({type(x).__name__ for x in items})
        raise TypeError(f"give paths or records (dicts), not a mix ({', '.join(kinds)})")
    raise TypeError(f"wiretrace.analyze takes paths, records (dicts) or a pandas DataFrame, "
                    f"not {type(data).__name__}")


def analyze(data: Any = None, *, db: str | Path | None = None, fields: Mapping[str, str] | None = None,
            all_documents: bool = False, options: Options | None = None, **option_values) -> Result:
    """Analyse ``data``: a path (file or folder), a list of paths, a record (dict),
    a list of records or a pandas DataFrame.

    ``fields`` maps article fields to other column names (``{"text": "body"}``).
    ``db``: the SQLite store to use and keep (default: a temporary one, removed
    afterwards).  Other keyword arguments set ``pipeline.Options`` (``workers``,
    ``sentences``, ``embeddings``, ``incremental``, ``max_bytes``, ``strict``)."""
    opts = options or Options()
    for k, v in option_values.items():
        if not hasattr(opts, k):
            raise TypeError(f"unknown option {k!r}")
        setattr(opts, k, v)
    fmap = as_map(fields if fields is not None else opts.fields)
    opts.fields = dict(fmap.overrides) or None
    inputs = _inputs(data, fmap, opts.max_bytes)
    if not inputs and not all_documents:
        raise ValueError("nothing to analyse: give paths, records or a DataFrame")
    info = RunInfo()
    if db is not None:
        analysis = _run(inputs, db=db, all_documents=all_documents, options=opts, info=info)
    else:
        with tempfile.TemporaryDirectory(prefix="wiretrace-") as tmp:
            analysis = _run(inputs, db=Path(tmp) / "wiretrace.db", all_documents=all_documents, options=opts,
                            info=info)
    return Result(analysis, info)


__all__ = ["analyze", "Result", "Options", "RawDoc"]
