"""The Spark engine walks inputs as the local engine does (issue 11): the same
problems for hidden items, FIFOs, broken links and link loops, in the same order,
and it never opens a FIFO (Spark's own listing would, and wait for ever)."""
from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict

import pytest

pytest.importorskip("pyspark")

from tests.conftest import ARTICLE_HTML, make_warc  # noqa: E402
from wiretrace.read import read_paths  # noqa: E402

pytestmark = pytest.mark.slow

TEXT = "The council approved the budget for the harbour district on Monday after a long debate.\n"


def _corpus(d):
    (d / "sub" / "deep").mkdir(parents=True)
    (d / "a.txt").write_text(TEXT)
    (d / ".hidden.txt").write_text(TEXT)
    (d / ".git").mkdir()
    (d / ".git" / "HEAD.txt").write_text(TEXT)
    os.mkfifo(d / "pipe.jsonl")
    (d / "gone.txt").symlink_to("nowhere.txt")
    (d / "alias.txt").symlink_to("a.txt")
    (d / "nul.txt").write_bytes(TEXT.encode() + b"\x00tail\n")
    (d / "u16.txt").write_bytes(TEXT.encode("utf-16-le"))
    (d / "sub" / "b.txt").write_text(TEXT.replace("Monday", "Tuesday"))
    (d / "sub" / "-early").mkdir()
    (d / "sub" / "-early" / "c.txt").write_text(TEXT.replace("Monday", "Friday"))
    (d / "sub" / ".cache").mkdir()
    (d / "sub" / "up").symlink_to("..")
    (d / "sub" / "deep" / "n.jsonl").write_text(json.dumps({"id": "j", "text": "x\u0000y " + TEXT}) + "\n")
    data = make_warc([("https://x.example/1", "text/html", ARTICLE_HTML.encode()),
                      ("https://x.example/2", "text/html", ARTICLE_HTML.encode())])
    (d / "sub" / "cut.warc").write_bytes(data[: len(data) - 300])


def _spark_rows(spark, inputs, max_bytes=1 << 20):
    from wiretrace.spark.read import read_corpus

    out: list = []

    def run():
        rows = read_corpus(spark, [str(p) for p in inputs], max_bytes).collect()
        rows.sort(key=lambda r: (r.order, r.seq))
        out.extend(json.loads(r.doc) if r.doc else json.loads(r.problem) for r in rows)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(300)
    assert not t.is_alive(), "Spark reading blocked"
    return out


def test_walk_problems_like_the_local_engine(spark, tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    _corpus(d)
    want = [asdict(i) for i in read_paths([str(d), str(d / "pipe.jsonl")], max_bytes=1 << 20)]
    reasons = [w["reason"] for w in want if "reason" in w]
    assert "skipped: hidden folder" in reasons and "skipped: not a regular file: a named pipe (FIFO)" in reasons
    got = _spark_rows(spark, [d, d / "pipe.jsonl"])
    assert got == want


def test_only_a_fifo(spark, tmp_path):
    os.mkfifo(tmp_path / "only.jsonl")
    got = _spark_rows(spark, [tmp_path / "only.jsonl"])
    assert [(g["path"], g["line"], g["reason"]) for g in got] == [
        (str(tmp_path / "only.jsonl"), None, "skipped: not a regular file: a named pipe (FIFO)")]


def test_parquet_nul_rule_like_jsonl(spark, tmp_path):
    """Parquet rows follow the JSONL reader's NUL rule: removed from the known
    fields, one problem per row saying how many."""
    rows = [{"id": "a", "text": "Mayor\u0000 said the road would reopen.", "title": "T\u0000"},
            {"id": "b", "text": "Clean text.", "title": "U"}]
    pq = str(tmp_path / "rows.parquet")
    spark.createDataFrame(rows, "id string, text string, title string").coalesce(1).write.parquet(pq)
    jl = tmp_path / "rows.jsonl"
    jl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    want = [asdict(i) for i in read_paths([jl])]
    got = _spark_rows(spark, [pq])
    assert [(g.get("line"), g.get("reason")) for g in got if "reason" in g] == \
        [(w["line"], w["reason"]) for w in want if "reason" in w] == \
        [(1, "NUL characters removed: 2 from 'text', 'title' (the article is kept without them)")]
    assert [(g["id"], g["text"], g["title"]) for g in got if "id" in g] == \
        [(w["id"], w["text"], w["title"]) for w in want if "id" in w] == \
        [("a", "Mayor said the road would reopen.", "T"), ("b", "Clean text.", "U")]
