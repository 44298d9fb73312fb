"""Measure group_stories on a stories set.

    .venv/bin/python bench/dev_stories.py CORPUS.jsonl GOLD.jsonl [--embeddings] [--meta] [--raw]
        [--derivations ANALYSIS.json] [--threshold T] [--keep out.json]
    .venv/bin/python bench/dev_stories.py --analysis ANALYSIS.json GOLD.jsonl


Loads the corpus (id, text, title; with --meta also outlet and published),
cleans scraped text with wiretrace.clean.leftovers when it exists (as the
pipeline does; --raw skips it), runs group_stories, writes a minimal
analysis.json (articles[].story) and prints the scorer's summary and timings.

`wiretrace analyze` differs in two ways: it always passes the corpus' dates
(here only with --meta) and it passes the derivations it found (here none,
unless --derivations names an analysis.json to take them from).  With --meta
and --derivations the result is the CLI's (checked on the second corpus,
bench/README.md "Stories"); the figures to report come from the CLI.

``--analysis ANALYSIS.json`` (the corpus argument is then that file) regroups the
articles of a ``wiretrace analyze`` output as the pipeline does: their cleaned
text, title, outlet and date, in the analysis' order, with its derivations.  This
is the CLI's grouping without re-running the other stages (fast iteration on
wire-dev, events-dev and the second corpus, whose scraped text the pipeline cleans).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wiretrace.model import Article  # noqa: E402


def load(corpus: Path, meta: bool, raw: bool) -> list[Article]:
    rows = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    clean = None
    if not raw:
        try:
            from wiretrace.clean.leftovers import clean_text, line_key
            cnt: Counter = Counter()
            for r in rows:
                cnt.update({line_key(x) for x in (r.get("text") or "").splitlines() if x.strip()})
            repeated = frozenset(k for k, c in cnt.items() if c >= 2)
            clean = lambda t, title: clean_text(t, repeated=repeated, title=title).text  # noqa: E731
        except ImportError:
            pass
    arts = []
    for r in rows:
        text = r.get("text") or ""
        if clean and "\n" in text:          # scraped pages only; one-paragraph openings stay as given
            text = clean(text, r.get("title"))
        arts.append(Article(id=r["id"], text=text, title=r.get("title"),
                            outlet=r.get("outlet") if meta else None,
                            published=r.get("published") if meta else None))
    return arts


def load_analysis(path: Path) -> tuple[list[Article], list]:
    """The articles (as the pipeline hands them to grouping) and derivations of an analysis.json."""
    from wiretrace.model import Derivation
    doc = json.loads(path.read_text("utf-8"))
    arts = [Article(id=r["id"], text=r.get("text") or "", title=r.get("title"), outlet=r.get("outlet"),
                    published=r.get("published")) for r in doc.get("articles", [])]
    ders = [Derivation(source=d["source"], target=d["target"], kind=d["kind"], credited=d["credited"],
                       share=d["share"]) for d in doc.get("derivations", [])]
    return arts, ders


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--embeddings", action="store_true")
    ap.add_argument("--meta", action="store_true", help="also pass outlet and published")
    ap.add_argument("--raw", action="store_true", help="do not clean scraped text")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--derivations", type=Path, help="take derivations from this analysis.json (as the CLI does)")
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--analysis", action="store_true",
                    help="CORPUS is an analysis.json: regroup its articles with its derivations")
    a = ap.parse_args()
    from wiretrace.eval.stories import score, summary
    from wiretrace.stories import group_stories

    t0 = time.perf_counter()
    derivations = []
    if a.analysis:
        arts, derivations = load_analysis(a.corpus)
    else:
        arts = load(a.corpus, a.meta, a.raw)
    if a.derivations:
        from wiretrace.model import Derivation
        derivations = [Derivation(source=d["source"], target=d["target"], kind=d["kind"],
                                  credited=d["credited"], share=d["share"])
                       for d in json.loads(a.derivations.read_text("utf-8")).get("derivations", [])]
    t1 = time.perf_counter()
    stories, lines = group_stories(arts, derivations, embeddings=a.embeddings, threshold=a.threshold)
    t2 = time.perf_counter()
    doc = {"schema": "wiretrace.analysis/1",
           "articles": [{"id": x.id, "story": x.story, "storyline": x.storyline} for x in arts],
           "stories": [s.to_dict() for s in stories], "storylines": [x.to_dict() for x in lines]}
    out = a.keep or Path(tempfile.mkstemp(suffix=".json")[1])
    out.write_text(json.dumps(doc), "utf-8")
    print(summary(score(a.gold, out)))
    print(f"articles={len(arts)} storylines={len(lines)} load={t1 - t0:.2f}s group={t2 - t1:.2f}s")


if __name__ == "__main__":
    main()
