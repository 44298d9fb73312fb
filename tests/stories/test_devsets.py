"""Story grouping on the big-story dev sets (issue 13), when the shared datasets
are present: wire-dev (PA copy and the papers that rewrote it, stories of 1 to 34
texts, dates as given) and events-dev (two look-alike events per topic, stories of
5 to 21 texts, no dates).  Grouping only (no derivations, raw text): BCubed F1
0.921 and 0.924 now (0.841 and 0.875 before the best-links linkage and the core
bar); the floors sit just under that and well above what grouping scored before
big stories were looked at (local level cap 0.3: 0.778 and 0.798)."""
import json
from pathlib import Path

import pytest

from wiretrace.eval.stories import score_labels
from wiretrace.model import Article
from wiretrace.stories import group_stories

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"


def _run(name):
    d = DATASETS / name
    if not (d / "corpus.jsonl").exists():
        pytest.skip(f"{name} not present (shared datasets are not part of a clone)")
    rows = [json.loads(x) for x in (d / "corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    arts = [Article(id=r["id"], text=r.get("text") or "", title=r.get("title"), published=r.get("published"))
            for r in rows]
    group_stories(arts)
    gold = {str(g["id"]): str(g["story"]) for g in map(json.loads, (d / "gold.jsonl").read_text("utf-8").splitlines())}
    return score_labels(gold, {a.id: a.story for a in arts})


@pytest.mark.parametrize("name,floor", [("wire-dev", 0.91), ("events-dev", 0.91)])
def test_big_stories_dev_sets(name, floor):
    m = _run(name)
    assert m["bcubed_f1"] >= floor, m
    assert m["bcubed_precision"] >= 0.85, m
