"""The Python API: the README example runs (taken from README.md itself), paths,
records and DataFrames give the analysis the command line gives, tables() matches it."""
import json
import os
import re
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, ROOT
import wiretrace
from wiretrace.pipeline import Options, analyze as pipeline_analyze


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Python API"):]
    m = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert m, "README.md has no python example under '### Python API'"
    return m.group(1)


def test_readme_example_runs(tmp_path):
    pytest.importorskip("pandas")
    code = readme_example()
    assert len(code.strip().splitlines()) <= 12
    (tmp_path / "examples").symlink_to(EXAMPLES)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                       env=env)
    assert r.returncode == 0, r.stderr
    assert "Reuters" in r.stdout and "Daily Courier" in r.stdout and "partially" in r.stdout
    doc = json.loads((tmp_path / "analysis.json").read_text(encoding="utf-8"))
    assert {a["outlet"] for a in doc["articles"]} == {"Reuters", "Daily Courier", "The Ledger", "Metro Post", "AP"}
    # docs/api.md carries the same example, word for word
    assert code in (ROOT / "docs" / "api.md").read_text(encoding="utf-8")


def _records():
    outlets = ["Reuters", "Daily Courier", "The Ledger", "Metro Post", "AP"]
    return [{"id": p.stem, "text": p.read_text(encoding="utf-8"), "outlet": o,
             "published": f"2017-12-2{i}T10:00:00Z"} for i, (p, o) in enumerate(zip(sorted(EXAMPLES.glob("*.txt")),
                                                                                    outlets))]


def _same(a: dict, b: dict) -> None:
    a, b = json.loads(json.dumps(a)), json.loads(json.dumps(b))
    for d in (a, b):
        for art in d["articles"]:
            art.pop("source_file")
    assert a == b


def test_paths_records_and_dataframe_agree(tmp_path):
    pd = pytest.importorskip("pandas")
    recs = _records()
    p = tmp_path / "c.jsonl"
    p.write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    base = pipeline_analyze([p], db=tmp_path / "base.db", options=Options(workers=1)).to_dict()
    from_path = wiretrace.analyze(p, workers=1)
    from_records = wiretrace.analyze(recs, workers=1)
    df = pd.DataFrame(recs).rename(columns={"text": "body", "outlet": "media_name"})
    df["published"] = pd.to_datetime(df["published"]).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    from_frame = wiretrace.analyze(df, workers=1)
    for r in (from_path, from_records, from_frame):
        assert not r.problems
        _same(r.to_dict(), base)
    assert from_records.articles[0].origin == "<records>#record1"
    assert from_frame.articles[0].origin == "<dataframe>#row1"
    assert repr(from_frame).startswith("<wiretrace analysis: 5 articles")


def test_records_mapping_problems_and_kept_store(tmp_path):
    recs = [{"uuid": "u1", "story_text": "The council approved the harbour budget on Monday after a long debate.",
             "site": "Wire"},
            {"uuid": "u2", "story_text": "", "site": "Paper"},
            {"uuid": None, "story_text": "A text without an id.", "site": "Paper"}]
    db = tmp_path / "kept.db"
    r = wiretrace.analyze(recs, fields={"id": "uuid", "text": "story_text", "outlet": "site"}, db=db, workers=1)
    assert [(a.id, a.outlet) for a in r.articles] == [("u1", "Wire")]
    assert [(p.path, p.line) for p in r.problems] == [("<records>", 2), ("<records>", 3)]
    assert "'story_text'" in r.problems[0].reason and "empty 'id' (column 'uuid')" == r.problems[1].reason
    assert db.exists()
    again = wiretrace.analyze(recs[:1], fields={"id": "uuid", "text": "story_text", "outlet": "site"}, db=db,
                              workers=1)
    assert again.info.processed == 0 and again.info.new == 0         # the kept store had it already
    # read without the outlet mapping, the record is another reading of the same text:
    # redone, with what was given this time (no outlet), not the store's first reading
    other = wiretrace.analyze(recs[:1], fields={"id": "uuid", "text": "story_text"}, db=db, workers=1)
    assert other.info.processed == 1 and other.info.new == 0
    assert [(a.id, a.outlet) for a in other.articles] == [("u1", None)]
    with pytest.raises(TypeError):
        wiretrace.analyze([{"id": "x", "text": "y"}, "path.txt"])
    with pytest.raises(TypeError):
        wiretrace.analyze(recs, colour="blue")


def test_tables_match_the_analysis(tmp_path):
    pytest.importorskip("pandas")
    r = wiretrace.analyze(_records(), workers=1)
    doc = r.to_dict()
    t = r.tables()
    assert set(t) == {"articles", "derivations", "passages", "quotes", "quote_groups", "quote_group_members",
                      "stories", "storylines", "siblings", "framing", "signals"}
    assert list(t["articles"]["id"]) == [a["id"] for a in doc["articles"]]
    assert list(t["articles"]["language"]) == ["en"] * 5
    assert [(x.source, x.target, x.share) for x in t["derivations"].itertuples()] == [
        (d["source"], d["target"], d["share"]) for d in doc["derivations"]]
    assert len(t["passages"]) == sum(len(d["passages"]) for d in doc["derivations"])
    assert len(t["quotes"]) == sum(len(a["quotes"]) for a in doc["articles"])
    assert list(t["stories"]["article_ids"]) == [s["articles"] for s in doc["stories"]]     # lists stay lists
    out = r.export(tmp_path / "csv")
    assert {p.name for p in out} == {f"{n}.csv" for n in t}
