"""Time group_stories on synthetic corpora.

    .venv/bin/python bench/stories_bench.py --sizes 10000 100000 [--seed 7] [--embeddings]

Each size runs in its own subprocess (peak RSS is per process).  Corpus: a
seeded random vocabulary (Zipf-weighted background words and capitalised
names); events of 1-6 articles, each article a ~60-word opening mixing the
event's own words and names with background words, a title drawn from the
event words, and a date within a day of the event's date (events spread over
two years).  No dataset text is used.  Prints time, peak memory and BCubed F1
against the generated events.  ``--embeddings`` also runs the embeddings path
(``group_stories(..., embeddings=True)``: all-MiniLM-L6-v2 on every title + lead; needs
the ``embeddings`` extra) on the same corpus in its own subprocess, after the default
path, and prints the ratio of the two times.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def make_corpus(n: int, seed: int):
    from wiretrace.model import Article
    rng = random.Random(seed)
    letters = "abcdefghijklmnoprstuvw"

    def word():
        return "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
    background = [word() for _ in range(20000)]
    weights = [1.0 / (k + 1) for k in range(len(background))]
    names = [word().capitalize() for _ in range(30000)]
    arts, gold = [], {}
    ev = 0
    while len(arts) < n:
        ev += 1
        ewords = rng.sample(background[200:], 8)
        enames = rng.sample(names, 3)
        day = rng.uniform(0, 730)
        for k in range(min(rng.randint(1, 6), n - len(arts))):
            body = rng.choices(background, weights, k=40) + rng.sample(ewords, 6) + \
                rng.sample(enames, 2) + [str(rng.randint(10, 999))]
            rng.shuffle(body)
            title = " ".join(rng.sample(ewords, 3) + rng.sample(enames, 1)).capitalize()
            d = day + rng.uniform(0, 1)
            pub = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1.6e9 + d * 86400))
            aid = f"x{len(arts)}"
            arts.append(Article(id=aid, title=title, text=" ".join(body) + ".", published=pub))
            gold[aid] = f"e{ev}"
    return arts, gold


def run_one(n: int, seed: int, embeddings: bool = False) -> dict:
    from wiretrace.eval.stories import score_labels
    from wiretrace.stories import group_stories
    arts, gold = make_corpus(n, seed)
    t0 = time.perf_counter()
    stories, lines = group_stories(arts, embeddings=embeddings)
    dt = time.perf_counter() - t0
    m = score_labels(gold, {a.id: a.story for a in arts})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "path": "embeddings" if embeddings else "lexical", "seconds": round(dt, 1), "peak_mib": round(peak), "stories": len(stories),
            "gold_stories": len(set(gold.values())), "storylines": len(lines),
            "bcubed_f1": round(m["bcubed_f1"], 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--embeddings", action="store_true", help="also time the embeddings path")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--one-embeddings", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run_one(a.one, a.seed, a.one_embeddings)))
        return
    for n in a.sizes:
        times = []
        for emb in ([False, True] if a.embeddings else [False]):
            cmd = [sys.executable, __file__, "--one", str(n), "--seed", str(a.seed)] + (["--one-embeddings"] if emb else [])
            out = subprocess.run(cmd, capture_output=True, text=True)
            line = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""
            print(line or out.stderr[-2000:], flush=True)
            if line:
                times.append(json.loads(line)["seconds"])
        if len(times) == 2 and times[0]:
            print(json.dumps({"n": n, "embeddings_over_lexical": round(times[1] / times[0], 1)}), flush=True)


if __name__ == "__main__":
    main()
