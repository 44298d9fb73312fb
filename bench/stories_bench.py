"""Time group_stories on synthetic corpora.

    .venv/bin/python bench/stories_bench.py --sizes 10000 100000 [--seed 7]

Each size runs in its own subprocess (peak RSS is per process).  Corpus: a
seeded random vocabulary (Zipf-weighted background words and capitalised
names); events of 1-6 articles, each article a ~60-word opening mixing the
event's own words and names with background words, a title drawn from the
event words, and a date within a day of the event's date (events spread over
two years).  No dataset text is used.  Prints time, peak memory and BCubed F1
against the generated events.
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


def run_one(n: int, seed: int) -> dict:
    from wiretrace.eval.stories import score_labels
    from wiretrace.stories import group_stories
    arts, gold = make_corpus(n, seed)
    t0 = time.perf_counter()
    stories, lines = group_stories(arts)
    dt = time.perf_counter() - t0
    m = score_labels(gold, {a.id: a.story for a in arts})
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": round(dt, 1), "peak_mib": round(peak), "stories": len(stories),
            "gold_stories": len(set(gold.values())), "storylines": len(lines),
            "bcubed_f1": round(m["bcubed_f1"], 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        print(json.dumps(run_one(a.one, a.seed)))
        return
    for n in a.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(a.seed)],
                             capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr[-2000:], flush=True)


if __name__ == "__main__":
    main()
