"""The quality gate: every labelled dev set through the command line, as a user runs
it (`wiretrace analyze`, then `wiretrace eval --json`), failing when a figure falls
below its floor.

The dev sets live beside the repository (``../shared/datasets``, see its README); a
user's clone has none, and then these tests skip, saying so.  The floors sit a little
under the figures measured on 2026-12-06 (bench/README, top table): a change that
costs a few points anywhere fails here instead of passing CI unnoticed.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT.parent / "shared" / "datasets"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not DATASETS.is_dir(),
                                 reason=f"no dev sets at {DATASETS} (they sit beside the repository, not in it)")]

# (set, corpus, eval task, gold, {figure: floor}); a floor is a minimum, except
# where the figure is a count or rate of mistakes ("max:"), which is a maximum.
# Measured 2026-12-06 -> floor: extract text/html F1 0.954/0.962 -> 0.94/0.95; quotes F1
# 0.980 -> 0.97, speaker accuracy 0.921 -> 0.90; derivations pairF1 0.973 -> 0.96, sentF1
# 0.976 -> 0.96, falseRate 0 -> max 0.01; wire-dev: wrong way 0 -> max 0, coverage 42.9% -> 40%.
# Stories, after issue 13's second pass (sixth session, same day): stories-dev BCubed 0.910 ->
# 0.90; events-dev 0.901 -> 0.89; wire-dev 0.934 -> 0.92.  Ninth session (an outlet's own text
# of another day listed apart, own_reuse): wire-dev across stories 2.1% -> 0.2% -> max 1.0
# (issue 12's bar; the dates as given).  Tenth session (an agency copy preferred to a
# same-day rewrite of it): newspaper -> newspaper 8.3% -> 3.4% -> max 4.5; coverage 45.6% (floor
# kept at 40: the gate guards against a fall, not noise).  Twelfth session (the agency copy as
# the source jointly with the rewrites set aside): newspaper -> newspaper 3.4% -> 1.7% -> max 2.0
# (issue 12's bar).  Fourteenth session (clauses kept word for word from an agency copy):
# coverage 50.1% -> 56.7% -> floor 52; without outlets 50.3% -> 57.4% -> floor 52.  Fifteenth
# session (versions of one agency copy read together; agency candidates on one fingerprint):
# coverage 56.7% -> 59.7% -> floor 55; without outlets 57.4% -> 59.7% -> floor 55, newspaper ->
# newspaper 1.9% -> 1.3% -> max 2.0 (issue 12's bar).
GATES = [
    ("extract-text", "extract-dev/text.jsonl", "extract", "extract-dev/gold.jsonl", {"f1": 0.94}),
    ("extract-html", "extract-dev/html.jsonl.gz", "extract", "extract-dev/gold.jsonl", {"f1": 0.95}),
    ("quotes", "quotes-dev/corpus.jsonl", "quotes", "quotes-dev/gold.jsonl",
     {"f1": 0.97, "speaker_accuracy": 0.90}),
    ("derivations", "derivations-dev/corpus.jsonl", "derivations", "derivations-dev/gold.json",
     {"pairF1": 0.96, "sentF1": 0.96, "max:falseRate": 0.01}),
    ("stories", "stories-dev/corpus.jsonl", "stories", "stories-dev/gold.jsonl", {"bcubed_f1": 0.90}),
    ("events", "events-dev/corpus.jsonl", "stories", "events-dev/gold.jsonl", {"bcubed_f1": 0.89}),
    ("wire", "wire-dev/corpus.jsonl", "wire", "wire-dev/gold.jsonl",
     {"max:wrong_way": 0, "coverage_pct": 55.0, "max:across_stories_pct": 1.0,
      "max:newspaper_to_newspaper_pct": 2.0}),
    ("wire-stories", "wire-dev/corpus.jsonl", "stories", "wire-dev/gold.jsonl", {"bcubed_f1": 0.92}),
]


def cli(*args) -> str:
    p = subprocess.run([sys.executable, "-m", "wiretrace.cli", *map(str, args)], capture_output=True,
                       text=True, timeout=1800)
    assert p.returncode == 0, f"wiretrace {' '.join(map(str, args))} failed:\n{p.stderr[-3000:]}"
    return p.stdout


@pytest.mark.parametrize("name, corpus, task, gold, floors", GATES, ids=[g[0] for g in GATES])
def test_dev_set_figures_stay_above_their_floors(tmp_path, name, corpus, task, gold, floors):
    out = tmp_path / f"{name}.json"
    cli("analyze", DATASETS / corpus, "--db", tmp_path / "w.db", "-o", out, "-q")
    result, _ = json.JSONDecoder().raw_decode(cli("eval", task, DATASETS / gold, out, "--json"))
    failed = []
    for key, bound in floors.items():
        if key.startswith("max:"):
            value = result[key[4:]]
            if value > bound:
                failed.append(f"{key[4:]} {value} > {bound}")
        elif result[key] < bound:
            failed.append(f"{key} {result[key]:.4f} < {bound}")
    assert not failed, f"{name}: " + "; ".join(failed)


def _wire_without(tmp_path, field: str) -> dict:
    """``wiretrace eval wire`` of wire-dev with ``field`` removed from every text."""
    rows = []
    for line in (DATASETS / "wire-dev" / "corpus.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            r.pop(field, None)
            rows.append(json.dumps(r))
    corpus = tmp_path / f"no-{field}.jsonl"
    corpus.write_text("\n".join(rows) + "\n", "utf-8")
    out = tmp_path / f"no-{field}.json"
    cli("analyze", corpus, "--db", tmp_path / "w.db", "-o", out, "-q")
    m, _ = json.JSONDecoder().raw_decode(cli("eval", "wire", DATASETS / "wire-dev" / "gold.jsonl", out, "--json"))
    return m


def test_wire_dev_without_dates_keeps_the_direction(tmp_path):
    """wire-dev with every ``published`` removed (one of the dataset's three ways).
    Sixteenth session (a moved day orders two agency copies and sets them apart;
    one paper's undated texts are its own): wrong way 0 -> max 0; across stories
    1.8% -> 1.0% -> max 1.5 (the gate guards against a fall, not noise; issue 12's
    bar is 1.0); newspaper -> newspaper 0.9% -> 0.6% -> max 2.0; coverage 59.5% ->
    59.7% -> floor 55."""
    m = _wire_without(tmp_path, "published")
    assert m["wrong_way"] == 0, m
    assert m["across_stories_pct"] <= 1.5, m
    assert m["newspaper_to_newspaper_pct"] <= 2.0, m
    assert m["coverage_pct"] >= 55.0, m


def test_wire_dev_without_outlets_keeps_the_direction(tmp_path):
    """wire-dev with every ``outlet`` removed, as a crawl of plain files often comes:
    PA's copies are known by their own marks only (byline, operator notes, sign-off,
    which the cleaner takes off the text).  Thirteenth session: wrong way 81 (35.1%) ->
    1 (0.3%) -> max 1.0%; newspaper -> newspaper 75 (16.0%) -> 10 (2.1%) -> max 3.0;
    coverage 30.7% -> 50.3% -> floor 45; fourteenth session (kept clauses) 57.4% -> floor 52;
    fifteenth session (versions read together, agency candidates) coverage 59.7% -> floor 55,
    newspaper -> newspaper 1.3% -> max 2.0."""
    m = _wire_without(tmp_path, "outlet")
    assert m["wrong_way_pct_of_mixed"] <= 1.0, m
    assert m["newspaper_to_newspaper_pct"] <= 2.0, m
    assert m["coverage_pct"] >= 55.0, m
