"""A folder mixing good articles with every kind of bad input (issue 11): the good
ones are analysed as if alone, each bad one is one clear problem entry."""
import gzip
import json
import shutil

import pytest

from tests.conftest import ARTICLE_HTML, EXAMPLES, make_warc
from wiretrace.pipeline import Options, analyze

pytestmark = pytest.mark.slow

OTHER = ("The city library will stay open until midnight during the exam season, the council said on Friday. "
         "Students had asked for longer hours in a petition signed by more than two thousand people.")


def _bad_folder(root):
    bad = root / "bad"
    bad.mkdir()
    (bad / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    (bad / "empty.txt").write_bytes(b"")
    (bad / "nul.txt").write_bytes(("A ferry service to the northern islands resumed on Tuesday after storms. "
                                   "Operators said\x00 timetables were back to normal.").encode())
    (bad / "utf16.txt").write_bytes(("The ferry to the islands, run by Fähre Nord, sails again, its operator "
                                     "said on Tuesday. The timetables are back to normal.").encode("utf-16-le"))
    (bad / "cp1252.txt").write_bytes("The café on the quay reopened – its owner said – after the floods. "
                                     "“We lost everything in the cellar,” she said.".encode("cp1252"))
    good_gz = gzip.compress(ARTICLE_HTML.encode())
    (bad / "cut.html.gz").write_bytes(good_gz[: len(good_gz) // 2])
    (bad / "lines.jsonl").write_text("\n".join([
        json.dumps({"id": "ok1", "text": OTHER}),
        "{broken json",
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "notext", "title": "no body"}),
    ]) + "\n", encoding="utf-8")
    warc = make_warc([("https://example.org/w1", "text/html; charset=utf-8",
                       ARTICLE_HTML.replace("Thursday", "Saturday").encode()),
                      ("https://example.org/w2", "text/html; charset=utf-8",
                       ARTICLE_HTML.replace("Thursday", "Sunday").encode())])
    (bad / "cut.warc").write_bytes(warc[: len(warc) - 200])
    (bad / "nested.html").write_text("<html><body>" + "<div><span><b>word</b></span></div>" * 150000
                                     + "</body></html>", encoding="utf-8")
    (bad / "huge.txt").write_text("word " * 1_400_000, encoding="utf-8")   # 7 MB, over --max-bytes
    return bad


def test_good_articles_are_analysed_as_if_alone(tmp_path):
    good = tmp_path / "good"
    shutil.copytree(EXAMPLES, good)
    alone = analyze([good], db=tmp_path / "alone.db", options=Options(workers=1, max_bytes=6_000_000)).to_dict()
    bad = _bad_folder(tmp_path)
    mixed = analyze([good, bad], db=tmp_path / "mixed.db",
                    options=Options(workers=1, max_bytes=6_000_000)).to_dict()

    names = {a["id"] for a in alone["articles"]}
    by_id = {a["id"]: a for a in mixed["articles"]}
    for a in alone["articles"]:
        m = by_id[a["id"]]
        for k in ("text", "sentences", "quotes", "title", "outlet", "published", "removed"):
            assert m[k] == a[k], (a["id"], k)
    pairs = lambda doc: sorted((d["source"], d["target"], d["kind"], d["credited"]) for d in doc["derivations"]
                               if d["source"] in names and d["target"] in names)
    assert pairs(mixed) == pairs(alone)
    part = lambda doc: sorted(sorted(m for m in s["articles"] if m in names) for s in doc["stories"]
                              if any(m in names for m in s["articles"]))
    assert part(mixed) == part(alone)

    # each bad input: one problem entry naming its file (and line where there is one)
    probs = mixed["problems"]
    def of(name):
        return [p for p in probs if p["path"].endswith(name)]
    for name in ("photo.txt", "empty.txt", "nul.txt", "cut.html.gz", "cut.warc", "nested.html", "huge.txt"):
        assert len(of(name)) == 1, (name, of(name))
    assert "binary" in of("photo.txt")[0]["reason"]
    assert "empty" in of("empty.txt")[0]["reason"]
    assert "NUL" in of("nul.txt")[0]["reason"]
    assert of("nested.html")[0]["error"] == "StageTimeout"
    assert "too large" in of("huge.txt")[0]["reason"]
    assert sorted(p["line"] for p in of("lines.jsonl")) == [2, 3, 4]
    assert of("utf16.txt") == [] and of("cp1252.txt") == []
    # the readable ones were read, and read right
    assert "Fähre" in by_id["utf16"]["text"] and "café" in by_id["cp1252"]["text"]
    assert "\x00" not in by_id["nul"]["text"] and "Operators said timetables" in by_id["nul"]["text"]
    assert "ok1" in by_id and "https://example.org/w1" in by_id and "https://example.org/w2" not in by_id
    assert len(probs) == 10, probs
