"""The Spark engine reads CSV, TSV, JSON arrays, news-please folders and Parquet
(with a --field mapping) into the local engine's analysis, languages included."""
from __future__ import annotations

import csv
import json

import pytest

pyspark = pytest.importorskip("pyspark")

from tests.language.test_language import DE, DE_COPY, FR, FR_COPY  # noqa: E402
from tests.spark.test_engine import SOURCE, SOURCE2, _p  # noqa: E402
from wiretrace.pipeline import Options, analyze  # noqa: E402

pytestmark = pytest.mark.slow


def _rows():
    return [
        {"key": "src", "words": _p(SOURCE), "site": "Valley Wire", "date": "2024-05-01T08:00:00Z"},
        {"key": "whole", "words": _p(SOURCE[:5]), "site": "County Courier", "date": "2024-05-01T11:00:00Z"},
        {"key": "rail", "words": _p(SOURCE2), "site": "Rail News", "date": "2024-05-05T09:00:00Z"},
        {"key": "fr1", "words": FR, "site": "Le Progrès", "date": "2021-03-01T08:00:00Z"},
        {"key": "fr2", "words": FR_COPY, "site": "Lyon Matin", "date": "2021-03-01T12:00:00Z"},
        {"key": "de1", "words": DE, "site": "Kölner Blatt", "date": "2021-03-01T08:00:00Z"},
        {"key": "de2", "words": DE_COPY, "site": "Rhein-Post", "date": "2021-03-01T12:00:00Z"},
    ]


def test_formats_and_mapping_identical_in_both_engines(spark, tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from wiretrace.spark.engine import analyze_spark

    rows = _rows()
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "a.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[:2])
        fh.write("broken,row,with,too,many,cells\n")
    with open(folder / "b.tsv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), dialect="excel-tab")
        w.writeheader()
        w.writerows(rows[2:3])
    (folder / "c.json").write_text(json.dumps(rows[3:5], indent=1, ensure_ascii=False), encoding="utf-8")
    np = folder / "np"
    np.mkdir()
    (np / "de1.json").write_text(json.dumps(rows[5], ensure_ascii=False), encoding="utf-8")
    pq.write_table(pa.Table.from_pylist(rows[6:]), folder / "d.parquet")
    fields = {"id": "key", "text": "words", "outlet": "site"}
    loc = analyze([str(folder)], db=tmp_path / "l.db", options=Options(fields=fields)).to_dict()
    sp = analyze_spark([str(folder)], spark=spark, options=Options(fields=fields))
    for key in ("derivations", "quote_groups", "stories", "storylines", "framing"):
        assert sp[key] == loc[key], key
    assert [(p["path"], p["line"], p["reason"]) for p in sp["problems"]] == \
        [(p["path"], p["line"], p["reason"]) for p in loc["problems"]]
    assert [a["id"] for a in sp["articles"]] == [a["id"] for a in loc["articles"]]
    for la, sa in zip(loc["articles"], sp["articles"]):
        for k in ("text", "quotes", "signals", "outlet", "published", "language", "source_file"):
            assert sa[k] == la[k], (la["id"], k)
    # not vacuous: every file was read through the mapping, the copies were found, languages told apart
    assert sorted(a["id"] for a in loc["articles"]) == sorted(r["key"] for r in rows)
    pairs = {(d["source"], d["target"]) for d in loc["derivations"]}
    assert {("src", "whole"), ("fr1", "fr2"), ("de1", "de2")} <= pairs
    last_line = len((folder / "a.csv").read_text(encoding="utf-8").splitlines())      # rows span lines
    assert [p["line"] for p in loc["problems"] if p["reason"].startswith("broken row")] == [last_line]
    assert sum(p["reason"].startswith("language ") for p in loc["problems"]) == 4
