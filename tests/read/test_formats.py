"""CSV, TSV, JSON (one article or an array; news-please folders) and Parquet read
into the same analysis as the same articles in JSONL; the field mapping; broken rows."""
import csv
import gzip
import json

import pytest

from tests.conftest import EXAMPLES
from wiretrace.model import Problem, RawDoc
from wiretrace.pipeline import Options, analyze
from wiretrace.read import read_paths
from wiretrace.read.fields import FieldError, FieldMap, parse_field_options

COLUMNS = ["id", "text", "title", "outlet", "published", "url"]


def _records():
    """The example corpus (five articles, one copied from another) as records."""
    out = []
    for i, p in enumerate(sorted(EXAMPLES.glob("*.txt"))):
        out.append({"id": p.stem, "text": p.read_text(encoding="utf-8"), "title": f"Title {i}",
                    "outlet": ["Reuters", "Daily Courier", "The Ledger", "Metro Post", "AP"][i],
                    "published": f"2017-12-2{i}T10:00:00Z", "url": f"https://example.org/{i}"})
    return out


def _read(*paths, **kw):
    items = list(read_paths(list(paths), **kw))
    return [i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, Problem)]


def _comparable(doc: dict) -> dict:
    """An analysis without what names the input file (the only thing a format may change)."""
    doc = json.loads(json.dumps(doc))
    for a in doc["articles"]:
        a.pop("source_file")
    return doc


def _write_all(tmp_path, recs):
    """The same records in every format; returns {format: path}."""
    paths = {}
    p = tmp_path / "jsonl" / "corpus.jsonl"
    p.parent.mkdir()
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    paths["jsonl"] = p
    for name, dialect in (("csv", "excel"), ("tsv", "excel-tab")):
        p = tmp_path / name / f"corpus.{name}"
        p.parent.mkdir()
        with open(p, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=COLUMNS, dialect=dialect)
            w.writeheader()
            w.writerows(recs)
        paths[name] = p
    p = tmp_path / "array" / "corpus.json"
    p.parent.mkdir()
    p.write_text(json.dumps(recs, indent=2), encoding="utf-8")
    paths["json-array"] = p
    folder = tmp_path / "newsplease"             # news-please: one file per article, its own field names
    folder.mkdir()
    for r in recs:
        (folder / f"{r['id']}.json").write_text(json.dumps(
            {"maintext": r["text"], "title": r["title"], "source_domain": r["outlet"],
             "date_publish": r["published"], "url": r["url"], "language": "en", "authors": []}), encoding="utf-8")
    paths["news-please"] = folder
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq
    p = tmp_path / "parquet" / "corpus.parquet"
    p.parent.mkdir()
    pq.write_table(pa.Table.from_pylist(recs), p, row_group_size=2)      # several row groups
    paths["parquet"] = p
    return paths


def test_every_format_gives_the_jsonl_analysis(tmp_path):
    recs = _records()
    paths = _write_all(tmp_path, recs)
    results = {}
    for fmt, p in paths.items():
        a = analyze([p], db=tmp_path / f"{fmt}.db", options=Options(workers=1))
        assert not a.problems, (fmt, a.problems)
        results[fmt] = _comparable(a.to_dict())
    base = results.pop("jsonl")
    assert len(base["articles"]) == 5 and base["derivations"], "the example corpus has a copy"
    for fmt, doc in results.items():
        if fmt == "news-please":          # its files pass an unknown field through, as JSONL would
            for a in doc["articles"]:
                assert a.pop("input_fields", None) in (None, {"language": "en"})
        assert doc == base, fmt


def test_csv_broken_rows_are_reported_and_the_rest_read(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text('stories_id,title,text,media_name\n'
                 '1,One,"First article,\nover two lines.",Wire\n'
                 '2,Two,Second article.,Paper,extra cell\n'
                 '3,Three,,Paper\n'
                 ',Four,Fourth article.,Paper\n'
                 '\n'
                 '5,Five,Fifth article.,Gazette\n', encoding="utf-8")
    docs, probs = _read(p)
    assert [(d.id, d.title, d.outlet, d.origin) for d in docs] == [
        ("1", "One", "Wire", f"{p}:2"), ("5", "Five", "Gazette", f"{p}:8")]
    assert docs[0].text == "First article,\nover two lines." and docs[0].kind == "csv"
    got = [(q.path, q.line, q.reason) for q in probs]
    assert got[0] == (str(p), 4, "broken row: 5 cells, the header has 4")
    assert got[1][1] == 5 and "'text'" in got[1][2] and "empty" in got[1][2]
    assert got[2] == (str(p), 6, "empty 'id' (column 'stories_id')")
    assert len(got) == 3


def test_mapping_override_and_defaults(tmp_path):
    p = tmp_path / "t.tsv"
    p.write_text("guid\theadline\tbody\tsummary\tpublisher\tdate\n"
                 "g1\tA headline\tThe body text.\tA summary.\tThe Paper\t2021-05-06\n", encoding="utf-8")
    docs, probs = _read(p)
    assert not probs
    d = docs[0]
    assert (d.id, d.title, d.text, d.outlet, d.published) == ("g1", "A headline", "The body text.", "The Paper",
                                                             "2021-05-06")
    assert d.fields == {"summary": "A summary."}
    docs, probs = _read(p, fields={"text": "summary", "id": "headline"})
    d = docs[0]
    assert (d.id, d.text) == ("A headline", "A summary.")
    assert d.fields == {"guid": "g1", "body": "The body text."}        # what is not used is passed through
    docs, probs = _read(p, fields={"text": "nope"})
    assert not docs and len(probs) == 1 and "no column 'nope' (--field text=nope)" in probs[0].reason
    assert probs[0].line == 1


def test_jsonl_takes_the_same_mapping(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"guid": "x1", "content": "Some words.", "source": "Wire"}) + "\n"
                 + json.dumps({"id": "x2", "article": "Other words.", "body": "Body wins over article."}) + "\n",
                 encoding="utf-8")
    docs, probs = _read(p)
    assert not probs
    assert [(d.id, d.text, d.outlet) for d in docs] == [("x1", "Some words.", "Wire"),
                                                       ("x2", "Body wins over article.", None)]
    assert docs[1].fields == {"article": "Other words."}
    docs, probs = _read(p, fields=FieldMap({"text": "article"}))
    assert [d.id for d in docs] == ["x2"] and probs[0].line == 1 and "no column 'article'" in probs[0].reason


def test_field_options_are_checked():
    assert parse_field_options(["text=body text", "ID=stories_id"]) == {"text": "body text", "id": "stories_id"}
    for bad in (["text"], ["nope=x"], ["text="], ["text=a", "text=b"]):
        with pytest.raises(FieldError):
            parse_field_options(bad)


def test_json_array_streams_and_reports_bad_items(tmp_path, monkeypatch):
    import wiretrace.read.jsonfile as jf
    monkeypatch.setattr(jf, "CHUNK", 7)           # items cut at every buffer boundary
    items = [{"id": "a", "text": "Alpha text \u00e9\u4e2d."}, {"id": "b"}, 42,
             {"id": "c", "text": "Gamma " * 50}, {"headline": "no id", "text": "Delta text."}]
    p = tmp_path / "arr.json"
    p.write_text(json.dumps(items, indent=1, ensure_ascii=False), encoding="utf-8")
    docs, probs = _read(p)
    assert [(d.id, d.origin) for d in docs] == [("a", f"{p}#item1"), ("c", f"{p}#item4"), ("arr-5", f"{p}#item5")]
    assert docs[0].text == "Alpha text \u00e9\u4e2d."
    assert [(q.line, q.reason.split(":")[0]) for q in probs] == [(6, "item 2"), (9, "item 3")]
    # broken in the middle: what came before is kept, the break is named
    p2 = tmp_path / "broken.json.gz"
    p2.write_bytes(gzip.compress(b'[{"id": "a", "text": "ok"},\n{"id": "b", "text": "cut'))
    docs, probs = _read(p2)
    assert [d.id for d in docs] == ["a"] and len(probs) == 1
    assert probs[0].line == 2 and "item 2: broken JSON" in probs[0].reason


def test_json_item_over_cap(tmp_path):
    p = tmp_path / "big.json"
    p.write_text(json.dumps([{"id": "x", "text": "y" * 5000}, {"id": "z", "text": "ok"}]), encoding="utf-8")
    docs, probs = _read(p, max_bytes=1000)
    assert [d.id for d in docs] == ["z"] and "item 1" in probs[0].reason and "too large" in probs[0].reason


def test_json_one_article_and_bad_files(tmp_path):
    (tmp_path / "np.json").write_text(json.dumps({"maintext": "Text.", "date_publish": "2020-01-01 10:00:00",
                                                 "source_domain": "example.org", "title": "T",
                                                 "url": "https://example.org/a"}), encoding="utf-8")
    (tmp_path / "scalar.json").write_text("17", encoding="utf-8")
    (tmp_path / "empty.json").write_text("  ", encoding="utf-8")
    (tmp_path / "bad.json").write_text('{"maintext": "x",\n "title": }', encoding="utf-8")
    docs, probs = _read(tmp_path)
    assert [(d.id, d.outlet, d.published, d.url) for d in docs] == [
        ("np", "example.org", "2020-01-01 10:00:00", "https://example.org/a")]
    why = {q.path.rsplit("/", 1)[-1]: (q.line, q.reason) for q in probs}
    assert why["bad.json"] == (2, "broken JSON: Expecting value at column 11")
    assert "expected an object or an array" in why["scalar.json"][1]
    assert why["empty.json"][1] == "empty file"


def test_csv_encoding_gzip_huge_field_and_no_text_column(tmp_path):
    fr = ("Le caf\u00e9 \u00e9tait ferm\u00e9, a d\u00e9clar\u00e9 la maire de la ville \u00e0 la presse locale mardi soir. "
          "Les \u00e9l\u00e8ves de l'\u00e9cole voisine ont \u00e9t\u00e9 renvoy\u00e9s chez eux \u00e0 midi, a pr\u00e9cis\u00e9 la pr\u00e9fecture.")
    (tmp_path / "win.csv").write_bytes(f'id,text\nw1,"{fr}"\n'.encode("cp1252"))      # a spreadsheet's export
    (tmp_path / "z.csv.gz").write_bytes(gzip.compress(b"id,text\nz1,Zipped text.\n"))
    big = "y" * 300_000                                  # over the csv module's default 128 KiB field limit
    (tmp_path / "big.csv").write_text(f"id,text\nb1,{big}\n", encoding="utf-8")
    (tmp_path / "notext.csv").write_text("id,name\n1,x\n", encoding="utf-8")
    docs, probs = _read(tmp_path)
    assert {d.id: d.text for d in docs} == {"w1": fr, "z1": "Zipped text.", "b1": big}
    assert len(probs) == 1 and "no text column" in probs[0].reason and probs[0].line == 1
    docs, probs = _read(tmp_path / "big.csv", max_bytes=100_000)
    assert docs == [] and probs[0].line == 2 and "too long" in probs[0].reason


def test_parquet_types_and_missing_pyarrow(tmp_path, monkeypatch):
    pa = pytest.importorskip("pyarrow")
    import datetime as dt

    import pyarrow.parquet as pq
    p = tmp_path / "t.parquet"
    pq.write_table(pa.table({"stories_id": [11, 12, 13], "text": ["One.", None, "Three."],
                             "publish_date": [dt.datetime(2020, 1, 2, 3, 4, 5), None, None],
                             "score": [0.5, 1.5, 2.5]}), p)
    docs, probs = _read(p)
    assert [(d.id, d.published, d.fields, d.origin) for d in docs] == [
        ("11", "2020-01-02T03:04:05", {"score": 0.5}, f"{p}#row1"), ("13", None, {"score": 2.5}, f"{p}#row3")]
    assert [(q.line, "no 'text'" in q.reason) for q in probs] == [(2, True)]
    (tmp_path / "junk.parquet").write_bytes(b"not parquet at all")
    docs, probs = _read(tmp_path / "junk.parquet")
    assert "not a readable Parquet file" in probs[0].reason
    import builtins
    real = builtins.__import__

    def no_pyarrow(name, *a, **k):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real(name, *a, **k)
    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    docs, probs = _read(p)
    assert docs == [] and "needs pyarrow" in probs[0].reason and "wiretrace[tables]" in probs[0].reason


def test_cli_field_option(tmp_path):
    import subprocess
    import sys
    p = tmp_path / "in.csv"
    p.write_text("key,words\nk1,The council approved the new harbour budget on Monday.\n", encoding="utf-8")
    out = tmp_path / "a.json"
    r = subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(p), "-o", str(out), "--db",
                        str(tmp_path / "w.db"), "-q", "--field", "id=key", "--field", "text=words"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    doc = json.loads(out.read_text())
    assert [a["id"] for a in doc["articles"]] == ["k1"]
    r = subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(p), "-o", str(out), "--db",
                        str(tmp_path / "w.db"), "--field", "colour=key"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and "unknown field 'colour'" in r.stderr


def test_values_that_fit_no_field_are_passed_through(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "Words.", "source": {"name": "Wire", "id": 7},
                             "date": 1609459200, "url": None, "authors": [1, 2]}) + "\n", encoding="utf-8")
    docs, probs = _read(p)
    assert not probs
    d = docs[0]
    assert d.outlet is None and d.published is None and d.authors is None
    assert d.fields == {"source": {"name": "Wire", "id": 7}, "date": 1609459200, "authors": [1, 2]}
