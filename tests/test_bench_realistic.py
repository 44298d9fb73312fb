"""bench/realistic.py: the realistic corpus generator (needs the dev sets in ../shared)."""
from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "datasets" / "derivations-dev" / "gold.json").exists(),
                                reason="needs the dev sets in ../shared")

sys.path.insert(0, str(ROOT / "bench"))


def _digest(d: Path) -> str:
    h = hashlib.sha256()
    for name in ("corpus.jsonl", "copies.jsonl", "stories.jsonl"):
        h.update((d / name).read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    import realistic
    d = tmp_path_factory.mktemp("realistic")
    meta = realistic.generate(200, d / "a", seed=3, shared=SHARED, check=200)
    return d, meta


def _grams(text: str) -> set[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    return {tuple(toks[i:i + 8]) for i in range(len(toks) - 7)}


def test_deterministic(corpus, tmp_path):
    import realistic
    d, _ = corpus
    realistic.generate(200, tmp_path / "b", seed=3, shared=SHARED, check=0)
    assert _digest(d / "a") == _digest(tmp_path / "b")
    realistic.generate(200, tmp_path / "c", seed=4, shared=SHARED, check=0)
    assert _digest(d / "a") != _digest(tmp_path / "c")


def test_originals_share_no_8gram(corpus):
    d, meta = corpus
    rows = [json.loads(x) for x in (d / "a" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    derived = {json.loads(x)["target"] for x in (d / "a" / "copies.jsonl").read_text().splitlines()}
    originals = [r for r in rows if r["id"] not in derived]
    assert len(originals) > 150
    # independently of the script's hashed check: every pair of originals, exact 8-grams
    seen: dict[tuple[str, ...], str] = {}
    shared = []
    for r in originals:
        for g in _grams(r["text"]):
            other = seen.setdefault(g, r["id"])
            if other != r["id"]:
                shared.append((other, r["id"], " ".join(g)))
    assert shared == []
    assert meta["check"]["originals_checked"] == len(originals)
    assert meta["check"]["pairs_sharing_an_8gram"] == 0


def test_planted_kinds_and_stories(corpus):
    d, _ = corpus
    copies = [json.loads(x) for x in (d / "a" / "copies.jsonl").read_text().splitlines()]
    kinds = {c["kind"] for c in copies}
    assert kinds == {"wholly", "partially", "patchwork"}
    texts = {json.loads(x)["id"]: json.loads(x)["text"]
             for x in (d / "a" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()}
    for c in copies:                       # every planted copy really carries its source's text
        assert _grams(texts[c["source"]]) & _grams(texts[c["target"]]), c
        assert c["source"] < c["target"]
    stories = [json.loads(x) for x in (d / "a" / "stories.jsonl").read_text().splitlines()]
    assert [s["id"] for s in stories] == list(texts)
    sizes: dict[str, int] = {}
    for s in stories:
        sizes[s["story"]] = sizes.get(s["story"], 0) + 1
    assert max(sizes.values()) >= 3 and sum(1 for v in sizes.values() if v == 1) > 10


def test_real_prose_features(corpus):
    d, _ = corpus
    rows = [json.loads(x) for x in (d / "a" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()]
    text = "\n".join(r["text"] for r in rows)
    assert re.search(r"[“\"][^”\"]{10,}[,.]?[”\"],? (he|she|they) said", text)      # quotes with attribution
    assert re.search(r"\b(Mr|Mrs|Sen|Dr|Gov)\. [A-Z]", text)                          # abbreviations
    assert re.search(r"^By [A-Z]", text, re.MULTILINE)                                         # bylines
    assert re.search(r"^[A-Z]{3,} — ", text, re.MULTILINE)                                     # datelines
    assert all(r["text"].count("\n\n") >= 1 for r in rows)                             # paragraphs
    for r in rows:
        assert set(r) == {"id", "title", "text", "outlet", "published", "url"}
        assert r["title"] and r["outlet"] and r["url"].startswith("https://")
    pub = {r["id"]: r["published"] for r in rows}
    for c in (json.loads(x) for x in (d / "a" / "copies.jsonl").read_text().splitlines()):
        assert pub[c["source"]] < pub[c["target"]]


def test_wiretrace_reads_it_without_problems(corpus, tmp_path):
    d, _ = corpus
    out = tmp_path / "analysis.json"
    subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(d / "a" / "corpus.jsonl"),
                    "--db", str(tmp_path / "w.db"), "-o", str(out), "-q", "--sentences", "syntok"],
                   check=True, cwd=tmp_path)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["problems"] == []
    assert len(doc["articles"]) == 200
    import e2e_bench
    s = e2e_bench.score(e2e_bench.read_derivations(out), d / "a" / "copies.jsonl")
    assert s["derivations"] == len(doc["derivations"])
    assert s["recall_by_kind"]["wholly"] >= 0.9 and s["between_unlinked"] == 0
