"""Score story grouping (datasets/README.md, section stories-dev).

The gold is JSONL, one line per article ``{"id", "story"}``.  The system's
``articles[].story`` is read from ``analysis.json``; an article missing from
the analysis, or with a null story, is a story of its own.  System articles
that are not in the gold are ignored.

Metrics: pairwise P/R/F1 over article pairs, BCubed P/R/F1 (per-article
precision and recall averaged over articles, F1 from the two averages), the
adjusted Rand index, and the number of predicted stories against the gold's.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def _c2(n: int) -> int:
    return n * (n - 1) // 2


def _read_gold(path: str | Path) -> dict[str, str]:
    gold: dict[str, str] = {}
    for line in Path(path).read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[str(row["id"])] = str(row["story"])
    return gold


def _read_system(path: str | Path) -> dict[str, str | None]:
    doc = json.loads(Path(path).read_text("utf-8"))
    return {str(a["id"]): a.get("story") for a in doc.get("articles", [])}


def score_labels(gold: dict[str, str], system: dict[str, str | None]) -> dict:
    """Metrics for two labelings; ``gold`` decides the article set."""
    ids = sorted(gold)
    sys_lab: dict[str, str] = {}
    for i in ids:
        s = system.get(i)
        sys_lab[i] = ("sys", s) if s is not None else ("single", i)   # type: ignore[assignment]
    g_size = Counter(gold[i] for i in ids)
    s_size = Counter(sys_lab[i] for i in ids)
    joint = Counter((gold[i], sys_lab[i]) for i in ids)
    n = len(ids)

    # pairwise
    tp = sum(_c2(c) for c in joint.values())
    sys_pairs = sum(_c2(c) for c in s_size.values())
    gold_pairs = sum(_c2(c) for c in g_size.values())
    pp = tp / sys_pairs if sys_pairs else 0.0
    pr = tp / gold_pairs if gold_pairs else 0.0
    pf = 2 * pp * pr / (pp + pr) if pp + pr else 0.0

    # BCubed: for article i, |pred(i) & gold(i)| = joint[(g, s)]
    bp = sum(joint[(gold[i], sys_lab[i])] / s_size[sys_lab[i]] for i in ids) / n if n else 0.0
    br = sum(joint[(gold[i], sys_lab[i])] / g_size[gold[i]] for i in ids) / n if n else 0.0
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0

    # adjusted Rand index (Hubert & Arabie)
    total = _c2(n)
    expected = sys_pairs * gold_pairs / total if total else 0.0
    max_index = (sys_pairs + gold_pairs) / 2
    ari = (tp - expected) / (max_index - expected) if max_index != expected else 1.0

    return {"articles": n, "gold_stories": len(g_size), "stories": len(s_size),
            "pair_precision": pp, "pair_recall": pr, "pair_f1": pf,
            "bcubed_precision": bp, "bcubed_recall": br, "bcubed_f1": bf, "ari": ari}


def score(gold_jsonl: str | Path, analysis_path: str | Path) -> dict:
    """Score ``analysis.json`` at ``analysis_path`` against ``gold_jsonl``."""
    return score_labels(_read_gold(gold_jsonl), _read_system(analysis_path))


def summary(m: dict) -> str:
    """One line: the headline numbers."""
    return (f"stories bcubedF1={m['bcubed_f1']:.3f} (P={m['bcubed_precision']:.3f} "
            f"R={m['bcubed_recall']:.3f}) pairF1={m['pair_f1']:.3f} "
            f"(P={m['pair_precision']:.3f} R={m['pair_recall']:.3f}) ARI={m['ari']:.3f} "
            f"stories={m['stories']}/{m['gold_stories']}")
