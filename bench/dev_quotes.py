"""Measure direct-quote extraction on quotes-dev.

    .venv/bin/python bench/dev_quotes.py /work/shared/datasets/quotes-dev/corpus.jsonl \
        /work/shared/datasets/quotes-dev/gold.jsonl [--errors N] [--speakers N]

Runs ``extract_quotes`` over each article's text, writes a minimal analysis.json
to a temp file and prints the scorer's summary line.  ``--errors`` lists missed
and spurious quotes, ``--speakers`` wrong speakers.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wiretrace.eval.quotes import is_pronoun, pair, score, speaker_right, summary  # noqa: E402
from wiretrace.segment.quotes import extract_quotes  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("gold")
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--spacy", action="store_true", help="use the optional spaCy speaker aid")
    ap.add_argument("--speakers", type=int, default=0)
    a = ap.parse_args()
    recs = [json.loads(ln) for ln in open(a.corpus, encoding="utf-8") if ln.strip()]
    texts = {r["id"]: r["text"] for r in recs}
    t0 = time.time()
    arts = []
    for r in recs:
        qs = extract_quotes(r["text"], use_spacy=a.spacy)
        arts.append({"id": r["id"], "quotes": [q.to_dict() for q in qs]})
    dt = time.time() - t0
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"schema": "wiretrace.analysis/1", "articles": arts}, f)
    s = score(a.gold, f.name)
    Path(f.name).unlink()
    print(summary(s), f"({dt:.2f}s)")
    if a.errors or a.speakers:
        gold = {json.loads(ln)["id"]: json.loads(ln)["quotes"] for ln in open(a.gold) if ln.strip()}
        errs, sperr = [], []
        for art in arts:
            gq, sq = gold.get(art["id"], []), art["quotes"]
            pr = pair([q["text"] for q in sq], [q["text"] for q in gq])
            ms, mg = {i for i, _, _ in pr}, {j for _, j, _ in pr}
            errs += [("MISS", art["id"], q["text"][:120]) for j, q in enumerate(gq) if j not in mg]
            errs += [("SPUR", art["id"], q["text"][:120]) for i, q in enumerate(sq) if i not in ms]
            for i, j, _ in pr:
                g = gq[j]["speaker"]
                if g and not is_pronoun(g) and not speaker_right(sq[i]["speaker"], g):
                    q = sq[i]
                    ctx = texts[art["id"]][max(0, q["start"] - 160):q["end"] + 100].replace("\n", " / ")
                    sperr.append((art["id"][:30], g, q["speaker"], ctx))
        for e in errs[:a.errors]:
            print(*e, sep=" | ")
        for e in sperr[:a.speakers]:
            print("SPK", *e, sep=" | ")


if __name__ == "__main__":
    main()
