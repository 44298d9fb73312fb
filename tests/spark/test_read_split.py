"""Large local files are read by path on the executors (plain JSONL in byte
ranges): the same documents and problems, with the same line numbers, as the
local reader, wherever the range boundaries fall."""
from __future__ import annotations

import gzip
import json
from dataclasses import asdict

import pytest

pytest.importorskip("pyspark")

from wiretrace.read import read_paths  # noqa: E402

pytestmark = pytest.mark.slow


def _jsonl(path):
    lines = []
    for i in range(40):
        if i % 9 == 3:
            lines.append(b"")                                              # blank
        elif i % 11 == 4:
            lines.append(b'{"id": "broken", "text": ')                     # broken JSON
        elif i % 13 == 5:
            lines.append(json.dumps({"id": f"long{i}", "text": "x" * 900}).encode())   # over max_bytes
        elif i % 17 == 6:
            lines.append(b'{"id": "latin", "text": "caf\xe9 au lait"}')    # not UTF-8
        else:
            lines.append(json.dumps({"id": f"a{i}", "title": f"T{i}", "text": f"Caf\u00e9 {i} " * (i % 5 + 1)},
                                    ensure_ascii=False).encode())
    path.write_bytes(b"\n".join(lines) + b"\n")


def _local(path, max_bytes):
    out = []
    for item in read_paths([path], max_bytes=max_bytes):
        out.append(asdict(item))
    return out


def _spark(spark, path, max_bytes, split):
    from wiretrace.spark.read import read_corpus

    rows = read_corpus(spark, [str(path)], max_bytes, split=split).collect()
    rows.sort(key=lambda r: (r.order, r.seq))
    return [json.loads(r.doc) if r.doc else json.loads(r.problem) for r in rows]


@pytest.mark.parametrize("split", [7, 64, 333, 10 ** 9])
def test_ranges_read_like_the_local_reader(spark, tmp_path, split):
    path = tmp_path / "big.jsonl"
    _jsonl(path)
    want = _local(path, 500)
    assert {"broken JSON" in str(x) for x in want} == {True, False}
    assert any("line too long" in str(x) for x in want)
    assert _spark(spark, path, 500, split) == want


def test_large_gzip_and_folder(spark, tmp_path):
    d = tmp_path / "crawl"
    d.mkdir()
    _jsonl(d / "a.jsonl")
    with gzip.open(d / "b.jsonl.gz", "wb") as f:
        f.write((d / "a.jsonl").read_bytes().replace(b'"a', b'"b'))
    (d / "small.txt").write_text("A short note\n\nIt has two paragraphs of plain text here.", encoding="utf-8")
    (d / "notes.bin").write_bytes(b"\x00\x01")
    want = _local(d, 500)
    from wiretrace.spark.read import read_corpus

    rows = read_corpus(spark, [str(d)], 500, split=100).collect()
    rows.sort(key=lambda r: (r.order, r.seq))
    got = [json.loads(r.doc) if r.doc else json.loads(r.problem) for r in rows]
    assert got == want
