"""Reading a corpus as Spark rows, with the local engine's readers and order.

Each input file is read on an executor by the very reader the local engine
uses (the bytes are written to a scratch file of the same name), so ids,
fields and problems are the same. Rows carry an order key that sorts exactly
as the local engine walks folders (a folder's files before its subfolders,
each sorted by name), so "first id wins" and id renaming agree too.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path, PurePosixPath

from ..model import Problem, RawDoc
from ..read import CANNOT_LIST, NOT_CORPUS, folder_note, iter_files, kind_of, read_paths

try:
    from pyspark.sql import Row
except ImportError:  # pragma: no cover - pyspark is the 'spark' extra
    Row = None


def order_key(input_index: int, rel: str) -> str:
    """A string that sorts like the local engine's walk: files of a folder
    (sorted) before its subfolders (sorted, recursively)."""
    parts = PurePosixPath(rel).parts
    keyparts = [f"1{p}" for p in parts[:-1]] + [f"0{parts[-1]}" if parts else "0"]
    return f"{input_index:06d}\x00" + "\x00".join(keyparts)


def read_file_bytes(name: str, data: bytes, origin: str, max_bytes: int, fields=None) -> list[tuple[int, dict]]:
    """[(sequence number in file, item)] for one file's bytes; item is a RawDoc
    dict (``"doc"``) or a Problem dict (``"problem"``), paths rewritten to ``origin``."""
    out = []
    with tempfile.TemporaryDirectory(prefix="wiretrace-") as tmp:
        p = Path(tmp) / os.path.basename(name)
        p.write_bytes(data)
        for i, item in enumerate(_read_as(p, origin, max_bytes, fields)):
            out.append((i, {"problem": asdict(item)} if isinstance(item, Problem) else {"doc": asdict(item)}))
    return out


def _read_as(path: Path, origin: str, max_bytes: int, fields=None):
    """The local readers on ``path``, with documents and problems named after ``origin``."""
    for item in read_paths([path], max_bytes=max_bytes, fields=fields):
        if isinstance(item, Problem):
            item.path = origin
        else:
            item.origin = item.origin.replace(str(path), origin, 1)
        yield item


#: A local file over this size is not sent through the JVM as one blob (a 500 MB
#: JSONL file as one binary record overflows a 6 GB heap): an executor opens it by
#: path, a plain JSONL file in byte ranges of this size, one task each.
SPLIT_BYTES = 64 << 20
_SCHEMA = "order string, seq long, doc string, problem string"


def _row(order: str, seq: int, item) -> "Row":
    if isinstance(item, Problem):
        return Row(order=order, seq=seq, doc=None, problem=json.dumps(asdict(item)))
    return Row(order=order, seq=seq, doc=json.dumps(asdict(item)), problem=None)


def _skipped(origin: str) -> Problem:
    return Problem(origin, None, NOT_CORPUS)


def _walk(inp: str, idx: int):
    """The local engine's walk of input ``inp``: ([(path, rel)] of the regular files
    to read, [(order, Problem)] for every path it skips: hidden items, non-regular
    files, unreadable folders, broken links, link loops), with order keys that sort
    the problems where the local engine reports them."""
    local = Path(inp)
    files, problems = [], []
    single = not local.is_dir()
    for item in iter_files([inp]):
        if isinstance(item, Problem):
            rel = os.path.basename(item.path) if single else os.path.relpath(item.path, local)
            problems.append((problem_order_key(idx, rel, item), item))
        else:
            files.append((item, item.name if single else item.relative_to(local).as_posix()))
    return files, problems


def problem_order_key(input_index: int, rel: str, problem: Problem) -> str:
    """The order key of a problem met while walking: a skipped file sorts as that
    file; a folder the walk names while listing its parent (hidden, or reached
    again through a link) sorts after the parent's files and before its visible
    subfolders; a folder that cannot be listed, where its files would be."""
    parts = PurePosixPath(rel).parts
    if folder_note(problem):
        keyparts = [f"1{p}" for p in parts[:-1]] + [f"1\x01{parts[-1]}"]
        return f"{input_index:06d}\x00" + "\x00".join(keyparts)
    if problem.reason.startswith(CANNOT_LIST):
        return f"{input_index:06d}\x00" + "\x00".join(f"1{p}" for p in parts)
    return order_key(input_index, rel)


def _big_tasks(idx: int, files: list[tuple[Path, str, str]], split: int):
    """Tasks for large local files: (order, path, origin, start, end) byte ranges of
    plain JSONL files, (order, path, origin, None, None) for a whole file read by path."""
    tasks = []
    for p, rel, origin in files:
        order = order_key(idx, rel)
        if p.name.lower().endswith(".jsonl"):
            size = p.stat().st_size
            tasks += [(order, str(p), origin, a, min(a + split, size)) for a in range(0, size, split)]
        else:
            tasks.append((order, str(p), origin, None, None))
    return tasks


def _read_big(spark, tasks: list[tuple], max_bytes: int, fields=None):
    """Rows of the large local files: each range task numbers its lines from a
    first pass that counts the newlines before its range (in parallel, per range)."""
    from ..read.jsonl import count_newlines, read_jsonl_range

    sc = spark.sparkContext
    ranged = [t for t in tasks if t[3] is not None]
    counts = (sc.parallelize(ranged, max(1, len(ranged))).map(lambda t: count_newlines(Path(t[1]), t[3], t[4]))
              .collect()) if ranged else []
    before: dict[tuple[str, int], int] = {}
    seen: dict[str, int] = {}
    for t, c in zip(ranged, counts):
        before[(t[1], t[3])] = seen.get(t[1], 0)
        seen[t[1]] = seen.get(t[1], 0) + c
    jobs = [(t, before.get((t[1], t[3]))) for t in tasks]

    def run(job):
        (order, path, origin, start, end), nl = job
        if start is None:          # a whole file (gzip, WARC), streamed from its path
            for seq, item in enumerate(_read_as(Path(path), origin, max_bytes, fields)):
                yield _row(order, seq, item)
            return
        try:
            for n, item in read_jsonl_range(Path(path), origin, start, end, nl, max_bytes=max_bytes, fields=fields):
                yield _row(order, n, item)
        except OSError as e:
            yield _row(order, start, Problem(origin, None, f"cannot read: {e.strerror or e}"))

    return sc.parallelize(jobs, max(1, len(jobs))).flatMap(run).toDF(_SCHEMA)


def _glob_escape(path: str) -> str:
    """A path that Hadoop's glob matching takes literally."""
    return "".join("\\" + c if c in "*?[]{}\\" else c for c in path)


def read_corpus(spark, inputs: list[str], max_bytes: int, split: int = SPLIT_BYTES, fields=None):
    """A DataFrame (order, seq, doc_json, problem_json) over every file under ``inputs``
    (local paths or any Hadoop-readable URI), plus Parquet tables of articles.
    Local files over ``split`` bytes are read by path on the executors (plain
    JSONL in ranges of ``split`` bytes); other files go through Spark's binary
    file source, one task per file.  ``fields``: the field mapping's overrides (read/fields.py)."""
    frames = []
    for idx, inp in enumerate(inputs):
        local = Path(inp)
        if _is_parquet_table(local, inp):
            frames.append(_read_parquet(spark, idx, inp, fields, max_bytes))
            continue
        exists = local.exists() or local.is_symlink()
        single = exists and not local.is_dir()
        base = str(local.resolve()) if exists else inp.rstrip("/")
        df = None
        if exists:
            files, walk_problems = _walk(inp, idx)
            if walk_problems:
                frames.append(spark.createDataFrame([_row(o, 0, p) for o, p in walk_problems], _SCHEMA))
            big = [(p, rel, inp if single else os.path.join(inp, rel)) for p, rel in files
                   if kind_of(p) is not None and p.stat().st_size > split]
            if big:
                frames.append(_read_big(spark, _big_tasks(idx, big, split), max_bytes, fields))
            if big or walk_problems:
                # only the files the walk found: Spark's own listing would open a FIFO
                # (and wait for ever), or fail on a folder it cannot list
                large = {rel for _, rel, _ in big}
                rest = [_glob_escape(os.path.join(base, rel) if not single else base)
                        for _, rel in files if rel not in large]
                if not rest:
                    continue
                df = spark.read.format("binaryFile").load(rest)
        if df is None:
            df = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                  .load(base if local.exists() else inp))

        def rows(it, idx=idx, base=base, single=single, inp=inp):
            for r in it:
                path = r.path[5:] if r.path.startswith("file:") else r.path
                rel = os.path.basename(path) if single else os.path.relpath(path, base)
                if any(part.startswith(".") for part in PurePosixPath(rel).parts):
                    continue
                # name files as the local engine does: under the input as the user wrote it
                origin = inp if single else os.path.join(inp, rel)
                if kind_of(Path(path)) is None:
                    yield _row(order_key(idx, rel), 0, _skipped(origin))
                    continue
                for seq, item in read_file_bytes(path, bytes(r.content), origin, max_bytes, fields):
                    yield Row(order=order_key(idx, rel), seq=seq,
                              doc=json.dumps(item["doc"]) if "doc" in item else None,
                              problem=json.dumps(item["problem"]) if "problem" in item else None)

        frames.append(df.select("path", "content").rdd.mapPartitions(rows).toDF(_SCHEMA))
    if not frames:
        return spark.createDataFrame([], _SCHEMA)
    out = frames[0]
    for f in frames[1:]:
        out = out.unionByName(f)
    return out


def _is_parquet_table(local: Path, inp: str) -> bool:
    """A Parquet table read by Spark itself: a ``.parquet`` path, or a folder that
    holds nothing but Parquet parts (as Spark writes one).  A folder mixing Parquet
    files with other inputs is walked like any folder (each file by its reader)."""
    if inp.endswith(".parquet"):
        return True
    if not local.is_dir():
        return False
    files = [p for p in local.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))]
    return bool(files) and all(p.name.endswith(".parquet") for p in files)


def _read_parquet(spark, idx: int, path: str, fields=None, max_bytes: int | None = None):
    """Parquet input: one row per article, its columns mapped as the local reader
    (``read/tabular.py``) maps them, with the same problems."""
    from ..read.fields import as_map, record_to_doc
    from ..read.fields import doc_items
    from ..read.files import stem_id
    from ..read.tabular import parquet_origin, table_oversize, table_problem
    stem = stem_id(Path(path.rstrip("/")))

    df = spark.read.parquet(path)
    fmap = as_map(fields)
    resolved, missing = fmap.resolve(df.columns)
    whole = table_problem(path, list(df.columns), resolved, missing, fmap)
    if whole is not None:            # the table has no column to read an article from
        return spark.createDataFrame([Row(order=order_key(idx, ""), seq=0, doc=None,
                                          problem=json.dumps(asdict(whole)))], _SCHEMA)

    def rows(it):
        for i, r in it:
            d = r.asDict(recursive=True)
            origin = parquet_origin(path, i + 1)
            big = table_oversize(d, resolved, max_bytes) if max_bytes else None
            doc = big or record_to_doc(d, origin, fmap, kind="parquet", default_id=f"{stem}-{i + 1}",
                                       resolved=resolved)
            for seq, item in enumerate(doc_items(doc, path, i + 1)):     # the readers' NUL rule too
                if isinstance(item, Problem):
                    yield Row(order=order_key(idx, f"{i:012d}"), seq=seq, doc=None, problem=json.dumps(asdict(item)))
                else:
                    yield Row(order=order_key(idx, f"{i:012d}"), seq=seq, doc=json.dumps(asdict(item)), problem=None)

    return df.rdd.zipWithIndex().map(lambda t: (t[1], t[0])).mapPartitions(rows).toDF(
        "order string, seq long, doc string, problem string")


def raw_doc(js: str) -> RawDoc:
    return RawDoc(**json.loads(js))
