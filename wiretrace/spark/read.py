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
from ..read import kind_of, read_paths


def order_key(input_index: int, rel: str) -> str:
    """A string that sorts like the local engine's walk: files of a folder
    (sorted) before its subfolders (sorted, recursively)."""
    parts = PurePosixPath(rel).parts
    keyparts = [f"1{p}" for p in parts[:-1]] + [f"0{parts[-1]}" if parts else "0"]
    return f"{input_index:06d}\x00" + "\x00".join(keyparts)


def read_file_bytes(name: str, data: bytes, origin: str, max_bytes: int) -> list[tuple[int, dict]]:
    """[(sequence number in file, item)] for one file's bytes; item is a RawDoc
    dict (``"doc"``) or a Problem dict (``"problem"``), paths rewritten to ``origin``."""
    out = []
    with tempfile.TemporaryDirectory(prefix="wiretrace-") as tmp:
        p = Path(tmp) / os.path.basename(name)
        p.write_bytes(data)
        for i, item in enumerate(read_paths([p], max_bytes=max_bytes)):
            if isinstance(item, Problem):
                item.path = origin
                out.append((i, {"problem": asdict(item)}))
            else:
                item.origin = item.origin.replace(str(p), origin, 1)
                out.append((i, {"doc": asdict(item)}))
    return out


def read_corpus(spark, inputs: list[str], max_bytes: int):
    """A DataFrame (order, seq, doc_json, problem_json) over every file under ``inputs``
    (local paths or any Hadoop-readable URI), plus Parquet tables of articles."""
    from pyspark.sql import Row

    frames = []
    for idx, inp in enumerate(inputs):
        local = Path(inp)
        if inp.endswith(".parquet") or (local.is_dir() and any(local.glob("*.parquet"))):
            frames.append(_read_parquet(spark, idx, inp))
            continue
        base = str(local.resolve()) if local.exists() else inp.rstrip("/")
        df = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
              .load(base if local.exists() else inp))
        single = local.is_file()

        def rows(it, idx=idx, base=base, single=single, inp=inp):
            for r in it:
                path = r.path[5:] if r.path.startswith("file:") else r.path
                rel = os.path.basename(path) if single else os.path.relpath(path, base)
                if any(part.startswith(".") for part in PurePosixPath(rel).parts):
                    continue
                # name files as the local engine does: under the input as the user wrote it
                origin = inp if single else os.path.join(inp, rel)
                if kind_of(Path(path)) is None:
                    prob = Problem(origin, None, "skipped: not a corpus file (.txt, .html, .htm, .jsonl, "
                                                 ".warc, optionally .gz)")
                    yield Row(order=order_key(idx, rel), seq=0, doc=None, problem=json.dumps(asdict(prob)))
                    continue
                for seq, item in read_file_bytes(path, bytes(r.content), origin, max_bytes):
                    yield Row(order=order_key(idx, rel), seq=seq,
                              doc=json.dumps(item["doc"]) if "doc" in item else None,
                              problem=json.dumps(item["problem"]) if "problem" in item else None)

        frames.append(df.select("path", "content").rdd.mapPartitions(rows).toDF(
            "order string, seq long, doc string, problem string"))
    out = frames[0]
    for f in frames[1:]:
        out = out.unionByName(f)
    return out


def _read_parquet(spark, idx: int, path: str):
    """Parquet input: one row per article with the JSONL fields as columns."""
    from pyspark.sql import Row

    from ..read.jsonl import record_to_doc

    df = spark.read.parquet(path)

    def rows(it):
        for i, r in it:
            d = r.asDict(recursive=True)
            origin = f"{path}#row{i + 1}"
            doc = record_to_doc(d, origin)
            if isinstance(doc, str):
                yield Row(order=order_key(idx, f"{i:012d}"), seq=0, doc=None,
                          problem=json.dumps(asdict(Problem(path, i + 1, doc))))
            else:
                doc.kind = "parquet"
                yield Row(order=order_key(idx, f"{i:012d}"), seq=0, doc=json.dumps(asdict(doc)), problem=None)

    return df.rdd.zipWithIndex().map(lambda t: (t[1], t[0])).mapPartitions(rows).toDF(
        "order string, seq long, doc string, problem string")


def raw_doc(js: str) -> RawDoc:
    return RawDoc(**json.loads(js))
