"""Score story grouping (datasets/README.md, section stories-dev).

The gold is JSONL, one line per article ``{"id", "story"}``.  The system's
``articles[].story`` is read from ``analysis.json``; an article missing from
the analysis, or with a null story, is a story of its own.  System articles
that are not in the gold are ignored.

Metrics: pairwise P/R/F1 over article pairs, BCubed P/R/F1 (per-article
precision and recall averaged over articles, F1 from the two averages), the
adjusted Rand index, and the number of predicted stories against the gold's.

When the gold rows carry a ``topic`` (events-dev: each topic holds two look-alike
events), every topic is also judged on its own: it is *split exactly* when each
of its gold events is exactly one system story (all the event's articles in one
story, and nothing else in that story); it is *kept apart* when no system story
holds articles of two of its events; and the number of topics whose events share
one storyline is counted (``articles[].storyline``; a thread of the same actors
may rightly join them, a shared topic alone should not).
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


def _c2(n: int) -> int:
    return n * (n - 1) // 2


def _read_gold_rows(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text("utf-8").splitlines() if line.strip()]


def _read_gold(path: str | Path) -> dict[str, str]:
    return {str(row["id"]): str(row["story"]) for row in _read_gold_rows(path)}


def _read_system(path: str | Path, field: str = "story") -> dict[str, str | None]:
    doc = json.loads(Path(path).read_text("utf-8"))
    return {str(a["id"]): a.get(field) for a in doc.get("articles", [])}


def score_topics(gold: dict[str, str], topics: dict[str, str], system: dict[str, str | None],
                 lines: dict[str, str | None] | None = None) -> dict:
    """Per-topic figures (module doc) for articles with a topic.  A missing or
    null story is a story of its own (as in ``score_labels``)."""
    def lab(i: str):
        s = system.get(i)
        return ("sys", s) if s is not None else ("single", i)
    members: dict = {}                      # system story -> gold stories of its articles
    for i in gold:
        members.setdefault(lab(i), []).append(gold[i])
    by_topic: dict[str, dict[str, list[str]]] = {}
    for i, t in topics.items():
        if i in gold:
            by_topic.setdefault(t, {}).setdefault(gold[i], []).append(i)
    exact = apart = joined_lines = 0
    per = []
    for t in sorted(by_topic, key=lambda x: (len(x), x)):
        events = by_topic[t]
        ok = True
        for ev, ids in events.items():
            stories = {lab(i) for i in ids}
            if len(stories) != 1 or any(g != ev for g in members[next(iter(stories))]):
                ok = False
        mixed = False
        seen: dict = {}
        for ev, ids in events.items():
            for s in {lab(i) for i in ids}:
                if seen.setdefault(s, ev) != ev:
                    mixed = True
        one_line = False
        if lines is not None and len(events) > 1:
            sets = [{lines.get(i) for i in ids} - {None} for ids in events.values()]
            one_line = bool(set.intersection(*sets))
        exact += ok
        apart += not mixed
        joined_lines += one_line
        per.append({"topic": t, "events": len(events), "articles": sum(len(v) for v in events.values()),
                    "stories": len({lab(i) for ids in events.values() for i in ids}),
                    "exact": ok, "apart": not mixed, "one_storyline": one_line})
    return {"topics": len(by_topic), "topics_exact": exact, "topics_apart": apart,
            "topics_one_storyline": joined_lines if lines is not None else None, "per_topic": per}


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
    """Score ``analysis.json`` at ``analysis_path`` against ``gold_jsonl`` (with
    the per-topic figures when the gold has topics)."""
    rows = _read_gold_rows(gold_jsonl)
    gold = {str(r["id"]): str(r["story"]) for r in rows}
    system = _read_system(analysis_path)
    m = score_labels(gold, system)
    topics = {str(r["id"]): str(r["topic"]) for r in rows if r.get("topic") is not None}
    if topics:
        m.update(score_topics(gold, topics, system, _read_system(analysis_path, "storyline")))
    return m


def summary(m: dict) -> str:
    """One line: the headline numbers."""
    return (f"stories bcubedF1={m['bcubed_f1']:.3f} (P={m['bcubed_precision']:.3f} "
            f"R={m['bcubed_recall']:.3f}) pairF1={m['pair_f1']:.3f} "
            f"(P={m['pair_precision']:.3f} R={m['pair_recall']:.3f}) ARI={m['ari']:.3f} "
            f"stories={m['stories']}/{m['gold_stories']}"
            + (f" topics: exact={m['topics_exact']}/{m['topics']} apart={m['topics_apart']}/{m['topics']}"
               + (f" one_storyline={m['topics_one_storyline']}/{m['topics']}"
                  if m.get("topics_one_storyline") is not None else "")
               if m.get("topics") else ""))
