"""Tables of articles: ``*.csv`` and ``*.tsv`` (optionally gzipped) with a header
row, and ``*.parquet``.  One row is one article, its columns mapped to fields
by ``fields.py``.

CSV/TSV files are streamed row by row (a 2 GB export is never held whole); one
field or line may be up to ``--max-bytes``.  Parquet files are read in row
batches with pyarrow (the ``tables`` extra).  A row that cannot be an article is
reported with the file, its line (CSV/TSV) or row number (Parquet) and the
column, and the rest of the table is still read.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from pathlib import Path
from typing import IO, Iterator

from charset_normalizer import from_bytes

from ..model import Problem, RawDoc
from .decode import looks_binary
from .fields import as_map, record_to_doc
from .files import opening_problem, stem_id
from .fields import doc_items

#: Bytes read to choose a CSV file's encoding.
SNIFF_BYTES = 1 << 16
#: Parquet rows decoded at a time (each row holds one article, ~5 KB typical,
#: up to --max-bytes): bounds memory on large files.
PARQUET_BATCH = 256


class _LineTooLong(Exception):
    pass


def sniff_encoding(head: bytes) -> str | None:
    """The encoding of a text file from its first bytes, or None for binary data."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                     (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if head.startswith(bom):
            return enc
    if looks_binary(head):
        return None
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(head) - 3:
            return "utf-8"                      # a character cut by the sniffing window
    matches = [m for m in from_bytes(head) if m.encoding]
    # as decode.py: classic Mac encodings win detection on short Windows-1252 text
    web = [m for m in matches if not m.encoding.startswith("mac_")]
    return (web or matches)[0].encoding if matches else "utf-8"


def _lines(text: IO[str], max_bytes: int) -> Iterator[str]:
    """The file's lines for the csv module, refusing one longer than ``max_bytes``
    (characters) without holding more than that in memory."""
    while True:
        line = text.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(("\n", "\r")):
            raise _LineTooLong()
        yield line


def _open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


def _sniff_file(path: Path, where: str) -> str | Problem:
    """The encoding of a CSV/TSV file from its first bytes, or the Problem that stops
    its reading (cannot be opened, empty, binary)."""
    try:
        with _open_binary(path) as fh:
            head = fh.read(SNIFF_BYTES)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as e:
        return opening_problem(where, e)
    if not head.strip():
        return Problem(where, None, "empty file")
    encoding = sniff_encoding(head)
    if encoding is None:
        return Problem(where, None, "binary content, not text")
    return encoding


def _header_columns(where: str, header_line: int, header: list[str],
                    fmap) -> tuple[dict[str, int], dict | None, list[Problem]]:
    """(column name -> its first index, the fields resolved from the columns, the
    header's problems); the fields are None when the header cannot serve (an
    override naming no column, no text column): the last problem says why."""
    problems = []
    seen: dict[str, int] = {}
    for i, c in enumerate(header):
        if c in seen:
            problems.append(Problem(where, header_line, f"column {c!r} appears twice in the header; "
                                    f"the first (column {seen[c] + 1}) is used"))
        else:
            seen[c] = i
    resolved, missing = fmap.resolve(seen)
    if missing:
        problems.append(Problem(where, header_line, "; ".join(missing) + f" in the header (columns: {', '.join(header)})"))
        return seen, None, problems
    if "text" not in resolved and "html" not in resolved:
        problems.append(Problem(where, header_line, "no text column in the header (looked for "
                                f"{', '.join(repr(c) for c in _text_names(fmap))}; name one with --field text=COLUMN)"))
        return seen, None, problems
    return seen, resolved, problems


def read_csv_file(path: Path, *, max_bytes: int, fields=None, delimiter: str | None = None) -> Iterator[RawDoc | Problem]:
    """Every row of a CSV (or, by suffix or ``delimiter="\\t"``, TSV) file as an article."""
    name = path.name.lower().removesuffix(".gz")
    tsv = delimiter == "\t" or (delimiter is None and name.endswith(".tsv"))
    where = str(path)
    fmap = as_map(fields)
    encoding = _sniff_file(path, where)
    if isinstance(encoding, Problem):
        yield encoding
        return
    # One field may be as large as one article may be (the module's default is 128 KiB).
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    line_end = 0                       # the last line the csv reader consumed
    try:
        with _open_binary(path) as fh, io.TextIOWrapper(fh, encoding=encoding, errors="strict", newline="") as text:
            reader = csv.reader(_lines(text, max_bytes), dialect="excel-tab" if tsv else "excel")
            header = None
            while header is None:
                try:
                    row = next(reader)
                except StopIteration:
                    yield Problem(where, None, "empty file")
                    return
                line_end = reader.line_num
                if row and any(c.strip() for c in row):
                    header = [c.strip() for c in row]
            seen, resolved, problems = _header_columns(where, line_end, header, fmap)
            yield from problems
            if resolved is None:
                return
            stem = stem_id(path)
            n_rows = 0
            while True:
                start = line_end + 1
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as e:
                    line_end = reader.line_num
                    yield Problem(where, start, f"broken row: {e}")
                    continue
                line_end = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue                   # a blank line
                n_rows += 1
                if len(row) != len(header):
                    yield Problem(where, start, f"broken row: {len(row)} cells, the header has {len(header)}")
                    continue
                rec = {c: row[i] for c, i in seen.items()}
                doc = record_to_doc(rec, f"{where}:{start}", fmap, kind="tsv" if tsv else "csv",
                                    default_id=f"{stem}-{n_rows}", resolved=resolved)
                yield from doc_items(doc, where, start)
            if n_rows == 0:
                yield Problem(where, None, "no rows under the header")
    except _LineTooLong:
        yield Problem(where, line_end + 1, f"line too long (over {max_bytes:,} characters; see --max-bytes); "
                      "the rest of the file is not read")
    except UnicodeDecodeError as e:
        yield Problem(where, line_end + 1, f"not {encoding} text ({e.reason}) after line {line_end}; "
                      "the rest of the file is not read")
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        yield Problem(where, line_end + 1, f"broken gzip after line {line_end}: {e or 'truncated'}")
    except OSError as e:
        yield Problem(where, None, f"cannot read: {e.strerror or e}")


def read_tsv_file(path: Path, *, max_bytes: int, fields=None) -> Iterator[RawDoc | Problem]:
    return read_csv_file(path, max_bytes=max_bytes, fields=fields, delimiter="\t")


def _text_names(fmap) -> list[str]:
    from .fields import DEFAULT_COLUMNS
    out = []
    for name in ("text", "html"):
        out += [fmap.overrides[name]] if name in fmap.overrides else list(DEFAULT_COLUMNS[name])
    return out


def parquet_origin(path: str, row: int) -> str:
    """How a Parquet row is named (the Spark engine names it the same way)."""
    return f"{path}#row{row}"


def table_problem(where: str, names: list[str], resolved: dict, missing: list[str], fmap) -> Problem | None:
    """The problem with a whole Parquet table's columns (an override naming no column,
    no text column), or None.  The Spark engine asks the same of its tables."""
    if missing:
        return Problem(where, None, "; ".join(missing) + f" (columns: {', '.join(names)})")
    if "text" not in resolved and "html" not in resolved:
        return Problem(where, None, "no text column (looked for "
                       f"{', '.join(repr(c) for c in _text_names(fmap))}; name one with --field text=COLUMN)")
    return None


def table_oversize(rec: dict, resolved: dict, max_bytes: int) -> str | None:
    """Why a row's text or HTML cell is over the cap, or None."""
    for c in (resolved.get("text"), resolved.get("html")):
        if c and isinstance(rec.get(c), str) and len(rec[c]) > max_bytes:
            return f"column {c!r} too large (over {max_bytes:,} characters; see --max-bytes)"
    return None


def read_parquet_file(path: Path, *, max_bytes: int, fields=None) -> Iterator[RawDoc | Problem]:
    """Every row of a Parquet file as an article, read in batches of rows."""
    where = str(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Problem(where, None, "reading Parquet needs pyarrow: pip install 'wiretrace[tables]'")
        return
    fmap = as_map(fields)
    try:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
    except OSError as e:
        yield Problem(where, None, f"cannot read: {e.strerror or e}")
        return
    except Exception as e:                                  # pyarrow's own errors: not Parquet
        yield Problem(where, None, f"not a readable Parquet file: {e}")
        return
    resolved, missing = fmap.resolve(names)
    whole = table_problem(where, names, resolved, missing, fmap)
    if whole is not None:
        yield whole
        return
    stem = stem_id(path)
    n = 0
    try:
        for batch in pf.iter_batches(batch_size=PARQUET_BATCH):
            for rec in batch.to_pylist():
                n += 1
                big = table_oversize(rec, resolved, max_bytes)
                if big:
                    yield Problem(where, n, big)
                    continue
                doc = record_to_doc(rec, parquet_origin(where, n), fmap, kind="parquet",
                                    default_id=f"{stem}-{n}", resolved=resolved)
                yield from doc_items(doc, where, n)
    except OSError as e:
        yield Problem(where, n + 1, f"cannot read row {n + 1}: {e}")
        return
    except Exception as e:
        yield Problem(where, n + 1, f"broken Parquet data at row {n + 1}: {type(e).__name__}: {e}")
        return
    if n == 0:
        yield Problem(where, None, "no rows")
