"""Measure find_derivations on a derivations set.

    .venv/bin/python bench/dev_derivations.py CORPUS.jsonl GOLD.json [--raw] [--keep out.json]

Loads the corpus into Articles (outlet/published as given), cleans the scraped
text with wiretrace.clean.leftovers when it exists (lines seen in 2+ articles
passed as `repeated`), splits sentences, runs find_derivations, writes a
minimal analysis.json and prints the scorer's summary line and timings.
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


def load(corpus: Path, raw: bool) -> list[Article]:
    rows = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    cleaner = None
    if not raw:
        try:
            from wiretrace.clean.leftovers import clean_text, line_key
            cleaner = (clean_text, line_key)
        except ImportError:
            print("(no wiretrace.clean.leftovers yet: raw text)")
    arts = []
    if cleaner:
        clean_text, line_key = cleaner
        cnt: Counter = Counter()
        for r in rows:
            cnt.update({line_key(x) for x in (r.get("text") or "").splitlines() if x.strip()})
        repeated = frozenset(k for k, c in cnt.items() if c >= 2)
    for r in rows:
        text = r.get("text") or ""
        removed: list[str] = []
        if cleaner:
            res = clean_text(text, repeated=repeated, title=r.get("title"))
            text, removed = res.text, list(res.removed)
        arts.append(Article(id=r["id"], text=text, outlet=r.get("outlet"), title=r.get("title"),
                            published=r.get("published"), removed=removed))
    return arts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--raw", action="store_true", help="do not clean the text")
    ap.add_argument("--keep", type=Path, help="keep the analysis.json here")
    ap.add_argument("--sentences", choices=["syntok", "pysbd", "none"], default="syntok")
    a = ap.parse_args()

    from wiretrace.eval.derivations import score, summary
    from wiretrace.trace.derive import find_derivations

    t0 = time.perf_counter()
    arts = load(a.corpus, a.raw)
    t1 = time.perf_counter()
    if a.sentences != "none":
        from wiretrace.segment.sentences import split_sentences
        for art in arts:
            art.sentences = split_sentences(art.text, engine=a.sentences)
    t2, c2 = time.perf_counter(), time.process_time()
    ders = find_derivations(arts)
    t3, c3 = time.perf_counter(), time.process_time()
    doc = {"schema": "wiretrace.analysis/1",
           "articles": [{"id": x.id, "text": x.text} for x in arts],
           "derivations": [d.to_dict() for d in ders]}
    out = a.keep or Path(tempfile.mkstemp(suffix=".json")[1])
    out.write_text(json.dumps(doc), "utf-8")
    res = score(a.gold, out)
    print(summary(res))
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in res.items()}))
    print(f"timing: load+clean {t1 - t0:.1f}s, sentences {t2 - t1:.1f}s, "
          f"find_derivations {t3 - t2:.1f}s wall / {c3 - c2:.1f}s CPU ({len(arts)} articles, {len(ders)} derivations)")
    if not a.keep:
        out.unlink()


if __name__ == "__main__":
    main()
