"""``wiretrace export``: every table's rows match analysis.json (CSV and Parquet),
spreadsheet formulas are inert, control characters never reach CSV or GraphML."""
import csv
import json
import subprocess
import sys

import networkx as nx
import pytest

from tests.conftest import EXAMPLES

HOSTILE_TITLE = "=HYPERLINK(\"http://evil.example\",\"click\")"
CONTROL_TITLE = "Bridge\x1b[2J reopens\x07 after\x00 repairs"


@pytest.fixture(scope="module")
def analysis_json(tmp_path_factory):
    """The example corpus (with hostile titles and outlets) through the real command line."""
    tmp = tmp_path_factory.mktemp("export")
    rows = []
    for i, p in enumerate(sorted(EXAMPLES.glob("*.txt"))):
        rows.append({"id": p.stem, "text": p.read_text(encoding="utf-8"),
                     "title": [HOSTILE_TITLE, CONTROL_TITLE, "+1 for the bridge", "@mention", "Plain"][i],
                     "outlet": ["Reuters", "-Minus Daily", "The Ledger", "Metro Post", "AP"][i],
                     "published": f"2017-12-2{i}T10:00:00Z"})
    corpus = tmp / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp / "analysis.json"
    r = subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(corpus), "-o", str(out), "--db",
                        str(tmp / "w.db"), "-q", "--workers", "1"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return out


def _export(analysis_json, folder, fmt):
    r = subprocess.run([sys.executable, "-m", "wiretrace.cli", "export", str(analysis_json), "--format", fmt,
                        "-o", str(folder)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return folder


def _cell(v):
    """How analysis.json's value reads back from a table cell."""
    if v is None:
        return None
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return v


def _expected(doc):
    """Every table, built here from analysis.json alone (not by the code under test)."""
    arts = {a["id"]: a for a in doc["articles"]}
    group_of = {(m["article"], m["quote"]): g["id"] for g in doc["quote_groups"] for m in g["members"]}
    return {
        "articles": [{"id": a["id"], "outlet": a["outlet"], "title": a["title"], "published": a["published"],
                      "url": a["url"], "language": a["language"], "authors": _cell(a["authors"]),
                      "story": a["story"], "storyline": a["storyline"], "patchwork": a["signals"]["patchwork"],
                      "quotes": len(a["quotes"]), "sentences": len(a["sentences"]), "aliases": _cell(a["aliases"]),
                      "content_hash": a["content_hash"], "source_file": a["source_file"], "text": a["text"]}
                     for a in doc["articles"]],
        "derivations": [{"source": d["source"], "target": d["target"], "kind": d["kind"], "credited": d["credited"],
                         "share": d["share"], "passages": len(d["passages"]),
                         "target_outlet": arts[d["target"]]["outlet"], "direction": d["evidence"].get("direction"),
                         "evidence": _cell(d["evidence"])} for d in doc["derivations"]],
        "passages": [{"source": d["source"], "target": d["target"], "passage": n, **p,
                      "target_text": arts[d["target"]]["text"][p["target_start"]:p["target_end"]]}
                     for d in doc["derivations"] for n, p in enumerate(d["passages"])],
        "quotes": [{"article": a["id"], "quote": n, "text": q["text"], "start": q["start"], "end": q["end"],
                    "speaker": q["speaker"], "cue": q["cue"], "group": group_of.get((a["id"], n))}
                   for a in doc["articles"] for n, q in enumerate(a["quotes"])],
        "quote_groups": [{"group": g["id"], "speaker": g["speaker"], "members": len(g["members"])}
                         for g in doc["quote_groups"]],
        "quote_group_members": [{"group": g["id"], "article": m["article"], "quote": m["quote"],
                                 "variant": m["variant"], "changes": _cell(m["changes"])}
                                for g in doc["quote_groups"] for m in g["members"]],
        "stories": [{"story": s["id"], "title": s["title"], "origin": s["origin"], "first_seen": s["first_seen"],
                     "storyline": s["storyline"], "articles": len(s["articles"]),
                     "article_ids": _cell(s["articles"])} for s in doc["stories"]],
        "storylines": [{"storyline": sl["id"], "title": sl["title"], "stories": _cell(sl["stories"]),
                        "first_seen": sl["first_seen"]} for sl in doc["storylines"]],
        "siblings": [{"a": sb["a"], "b": sb["b"], "source": sb["source"], "shared_in_source": sb["shared_in_source"],
                      "agency": sb.get("agency"), "share": sb.get("share"), "a_outlet": arts[sb["a"]]["outlet"]}
                     for sb in doc["siblings"]],
        "framing": [{k: _cell(v) for k, v in f.items()} for f in doc["framing"]],
        "signals": [{"article": a["id"], **{k: _cell(v) for k, v in a["signals"].items()}} for a in doc["articles"]],
    }


def _csv_value(s: str):
    """A CSV cell read back: the formula guard removed, empty as None."""
    if s[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r"):
        s = s[1:]
    return None if s == "" else s


def _as_text(v):
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v)
    return str(v).translate({c: "\ufffd" for c in (0, 7, 0x1b)})


def test_csv_round_trip(analysis_json, tmp_path):
    doc = json.loads(analysis_json.read_text(encoding="utf-8"))
    assert doc["derivations"] and doc["quote_groups"] and doc["framing"] and doc["storylines"]
    folder = _export(analysis_json, tmp_path / "csv", "csv")
    expected = _expected(doc)
    assert sorted(p.stem for p in folder.iterdir()) == sorted(expected)
    for name, want in expected.items():
        with open(folder / f"{name}.csv", newline="", encoding="utf-8") as fh:
            got = list(csv.DictReader(fh))
        assert len(got) == len(want), name
        for g, w in zip(got, want):
            for k, v in w.items():
                assert _csv_value(g[k]) == _as_text(v), (name, k)


def test_parquet_round_trip(analysis_json, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    doc = json.loads(analysis_json.read_text(encoding="utf-8"))
    folder = _export(analysis_json, tmp_path / "pq", "parquet")
    for name, want in _expected(doc).items():
        got = pq.read_table(folder / f"{name}.parquet").to_pylist()
        assert len(got) == len(want), name
        for g, w in zip(got, want):
            for k, v in w.items():
                assert g[k] == v, (name, k)


def test_csv_cells_are_inert_and_hold_no_control_characters(analysis_json, tmp_path):
    folder = _export(analysis_json, tmp_path / "csv", "csv")
    raw = (folder / "articles.csv").read_text(encoding="utf-8")
    assert "\x1b" not in raw and "\x07" not in raw and "\x00" not in raw
    with open(folder / "articles.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    titles = {r["title"] for r in rows}
    assert "'" + HOSTILE_TITLE in titles and "'+1 for the bridge" in titles and "'@mention" in titles
    # ESC and BEL replaced at output; the NUL was already removed when the JSONL was read (the NUL rule)
    assert "Bridge\ufffd[2J reopens\ufffd after repairs" in titles
    assert "'-Minus Daily" in {r["outlet"] for r in rows}
    # no cell anywhere starts with a formula character
    for p in folder.glob("*.csv"):
        with open(p, newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                assert not any(c[:1] in ("=", "+", "-", "@", "\t", "\r") for c in row), p.name


def test_graphml_export(analysis_json, tmp_path):
    doc = json.loads(analysis_json.read_text(encoding="utf-8"))
    folder = _export(analysis_json, tmp_path / "g", "graphml")
    g = nx.read_graphml(folder / "wiretrace.graphml")
    assert set(g.nodes) == {a["id"] for a in doc["articles"] if a["story"]}
    assert {(u, v) for u, v in g.edges} == {(d["source"], d["target"]) for d in doc["derivations"]}
    titles = {d["title"] for _, d in g.nodes(data=True)}
    # ESC and BEL replaced at output; the NUL was already removed when the JSONL was read (the NUL rule)
    assert "Bridge\ufffd[2J reopens\ufffd after repairs" in titles


def test_export_refuses_what_is_not_an_analysis(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("[1, 2]", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "wiretrace.cli", "export", str(p), "-o", str(tmp_path / "o")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1 and "not an analysis.json" in r.stderr
