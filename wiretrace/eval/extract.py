"""Score article-body extraction (extract-dev) the way the Scrapinghub
article-extraction-benchmark's evaluate.py does.

Both texts are cut into ``\\w+`` tokens (case kept) and overlapping 4-token
shingles, compared as multisets.  Per article: precision = shared / system
shingles, recall = shared / gold shingles.  Precision is averaged over the
articles whose system text is non-empty, recall over all gold articles (a
missing or empty article has recall 0 and is counted in ``missing``); F1 is the
harmonic mean of the two averages.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

_TOKEN = re.compile(r"\w+")
N = 4


def shingles(text: str, n: int = N) -> Counter:
    """Multiset of n-token shingles; a text shorter than n tokens is one shingle."""
    toks = _TOKEN.findall(text or "")
    if not toks:
        return Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)))


def pr(system: str, gold: str) -> tuple[float | None, float]:
    """(precision or None when the system text is empty, recall) of one article."""
    s, g = shingles(system), shingles(gold)
    shared = sum((s & g).values())
    p = shared / sum(s.values()) if s else None
    # An empty gold body has nothing to find: recall 1 (any system text is all wrong: P 0).
    r = shared / sum(g.values()) if g else 1.0
    return p, r


def _read_gold(path: str | Path) -> dict[str, str]:
    gold: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                d = json.loads(line)
                gold[str(d["id"])] = d.get("body") or ""
    return gold


def _read_analysis(path: str | Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    return {str(a["id"]): (a.get("text") or "") for a in doc.get("articles", [])}


def score(gold_path: str | Path, analysis_path: str | Path) -> dict:
    """Scores of an analysis.json against a ``{"id","body"}`` JSONL gold.

    Returns ``{"f1","precision","recall","n","missing","missing_ids","per_article"}``;
    ``per_article`` maps id to ``{"precision","recall"}`` (precision None when empty).
    """
    gold = _read_gold(gold_path)
    system = _read_analysis(analysis_path)
    ps: list[float] = []
    rs: list[float] = []
    per: dict[str, dict] = {}
    missing: list[str] = []
    for gid, body in gold.items():
        text = system.get(gid, "")
        if not _TOKEN.search(text):
            missing.append(gid)
        p, r = pr(text, body)
        if p is not None:
            ps.append(p)
        rs.append(r)
        per[gid] = {"precision": p, "recall": r}
    P = sum(ps) / len(ps) if ps else 0.0
    R = sum(rs) / len(rs) if rs else 0.0
    F = 2 * P * R / (P + R) if P + R else 0.0
    return {"f1": F, "precision": P, "recall": R, "n": len(gold), "missing": len(missing),
            "missing_ids": missing, "per_article": per}


def summary(result: dict) -> str:
    """One line: ``extract F1=… P=… R=… n=… missing=…``."""
    return (f"extract F1={result['f1']:.3f} P={result['precision']:.3f} R={result['recall']:.3f} "
            f"n={result['n']} missing={result['missing']}")
