"""Score an analysis.json on wire copy (datasets/README.md, section wire-dev).

The gold is JSONL, one line per text ``{"id", "story", "kind"}`` where ``kind``
is ``pa`` (the agency's own copy) or ``newspaper`` (a story written from it).
There are no per-pair labels, so the figures are structural:

- wrong way: derivations from a newspaper story to an agency copy (should be
  none), also as a share of the agency/newspaper derivations reported;
- paper to paper: derivations between two newspaper stories (their shared text
  comes from the agency), also per 100 newspaper stories;
- across stories: derivations between texts of different gold stories, as a
  share of all derivations;
- coverage: the share of newspaper stories reported as derived from an agency
  copy of their own gold story;
- agency to agency within a story (the wire lineage: informative only);
- stories: BCubed (and pairwise) figures of ``articles[].story`` against the
  gold ``story``, as ``eval stories`` computes them;
- siblings (when the analysis has them): pairs of newspapers named siblings of
  one agency copy, and how many of them are within one gold story;
- own reuse (when the analysis has it): an outlet's reuse of its own text of
  another day, listed apart from the derivations, and how many cross gold stories.

Texts of the analysis that are not in the gold are ignored.
"""
from __future__ import annotations

import json
from pathlib import Path

from wiretrace.eval.stories import score_labels


def _read_gold(path: str | Path) -> dict[str, dict]:
    gold: dict[str, dict] = {}
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        kind = str(row.get("kind", ""))
        if kind not in ("pa", "newspaper"):
            raise ValueError(f"{path}:{n}: kind must be 'pa' or 'newspaper', not {kind!r}")
        gold[str(row["id"])] = {"story": str(row["story"]), "kind": kind}
    return gold


def _pct(a: int, b: int) -> float:
    return 100.0 * a / b if b else 0.0


def score_doc(gold: dict[str, dict], doc: dict) -> dict:
    """Figures for one analysis document (already parsed) against ``gold``."""
    ders = [d for d in doc.get("derivations", []) if d["source"] in gold and d["target"] in gold]
    papers = [i for i, g in gold.items() if g["kind"] == "newspaper"]
    kind = {i: g["kind"] for i, g in gold.items()}
    story = {i: g["story"] for i, g in gold.items()}
    wrong = [d for d in ders if kind[d["source"]] == "newspaper" and kind[d["target"]] == "pa"]
    right = [d for d in ders if kind[d["source"]] == "pa" and kind[d["target"]] == "newspaper"]
    p2p = [d for d in ders if kind[d["source"]] == kind[d["target"]] == "newspaper"]
    pa2pa = [d for d in ders if kind[d["source"]] == kind[d["target"]] == "pa"]
    across = [d for d in ders if story[d["source"]] != story[d["target"]]]
    covered = {d["target"] for d in right if story[d["source"]] == story[d["target"]]}
    # of those, the ones covered by an agency copy that explains them on its own (not
    # only jointly with a same-day rewrite set aside: evidence.joint_with_set_aside)
    alone = {d["target"] for d in right if story[d["source"]] == story[d["target"]]
             and not (d.get("evidence") or {}).get("joint_with_set_aside")}
    mixed = len(wrong) + len(right)
    stories = score_labels({i: g["story"] for i, g in gold.items()},
                           {str(a["id"]): a.get("story") for a in doc.get("articles", [])})
    sib = [s for s in doc.get("siblings", []) or [] if s.get("a") in gold and s.get("b") in gold]
    own = [d for d in doc.get("own_reuse", []) or [] if d.get("source") in gold and d.get("target") in gold]
    return {
        "texts": len(gold), "newspapers": len(papers), "derivations": len(ders),
        "wrong_way": len(wrong), "wrong_way_pct_of_mixed": _pct(len(wrong), mixed),
        "pa_to_newspaper": len(right),
        "newspaper_to_newspaper": len(p2p), "newspaper_to_newspaper_pct": _pct(len(p2p), len(papers)),
        "pa_to_pa": len(pa2pa),
        "across_stories": len(across), "across_stories_pct": _pct(len(across), len(ders)),
        "coverage": len(covered), "coverage_pct": _pct(len(covered), len(papers)),
        "coverage_alone": len(alone),
        "joint": sum(1 for d in ders if (d.get("evidence") or {}).get("joint_with_set_aside")),
        "siblings": len(sib),
        "siblings_same_story": sum(1 for s in sib if story[s["a"]] == story[s["b"]]),
        "own_reuse": len(own),
        # rewrites passed over for an agency copy (evidence.set_aside), as pairs
        "set_aside": sum(len((d.get("evidence") or {}).get("set_aside") or []) for d in ders),
        "own_reuse_across_stories": sum(1 for d in own if story[d["source"]] != story[d["target"]]),
        "stories": stories,
        "examples": {"wrong_way": [(d["source"], d["target"]) for d in wrong[:10]],
                     "newspaper_to_newspaper": [(d["source"], d["target"]) for d in p2p[:10]],
                     "across_stories": [(d["source"], d["target"]) for d in across[:10]]},
    }


def score(gold_jsonl: str | Path, analysis_path: str | Path) -> dict:
    """Score ``analysis.json`` at ``analysis_path`` against ``gold_jsonl``."""
    return score_doc(_read_gold(gold_jsonl), json.loads(Path(analysis_path).read_text("utf-8")))


def meets(m: dict) -> dict[str, bool]:
    """The acceptance bars of issue 12, one by one."""
    return {"wrong_way": m["wrong_way"] == 0 or m["wrong_way_pct_of_mixed"] <= 0.5,
            "newspaper_to_newspaper": m["newspaper_to_newspaper_pct"] <= 2.0,
            "across_stories": m["across_stories_pct"] <= 1.0,
            "coverage": m["coverage_pct"] >= 70.0}


def summary(m: dict) -> str:
    """One line: the headline numbers."""
    s = m["stories"]
    return (f"wire wrongWay={m['wrong_way']} ({m['wrong_way_pct_of_mixed']:.1f}% of "
            f"{m['wrong_way'] + m['pa_to_newspaper']} pa/newspaper) "
            f"paperToPaper={m['newspaper_to_newspaper']} ({m['newspaper_to_newspaper_pct']:.1f}% of "
            f"{m['newspapers']} newspapers) acrossStories={m['across_stories']} "
            f"({m['across_stories_pct']:.1f}% of {m['derivations']}) coverage={m['coverage']}/"
            f"{m['newspapers']} ({m['coverage_pct']:.1f}%; {m['coverage_alone']} by a copy alone) paToPa={m['pa_to_pa']} "
            f"siblings={m['siblings']} ownReuse={m['own_reuse']} setAside={m['set_aside']} joint={m['joint']} stories bcubedF1={s['bcubed_f1']:.3f} "
            f"(P={s['bcubed_precision']:.3f} R={s['bcubed_recall']:.3f})")
