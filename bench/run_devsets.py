"""Run wiretrace end to end on the labelled dev sets and print every score.

    .venv/bin/python bench/run_devsets.py [--shared ../shared] [--only extract,quotes,...,wire]

Each set goes through the real command line (`wiretrace analyze`, then
`wiretrace eval`), exactly as a user would run it; outputs land in bench/_work/.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"


def sh(*args: object) -> str:
    p = subprocess.run([sys.executable, "-m", "wiretrace.cli", *map(str, args)], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, args))}\n{p.stderr[-3000:]}")
    return p.stdout.strip()


def analyze(name: str, corpus: Path) -> tuple[Path, float]:
    out = WORK / f"{name}.json"
    db = WORK / f"{name}.db"
    if db.exists():
        db.unlink()
    t = time.perf_counter()
    sh("analyze", corpus, "--db", db, "-o", out, "-q")
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--only", default="extract,quotes,derivations,stories,wire,wire-stories,events,stories2")
    a = ap.parse_args()
    ds = a.shared / "datasets"
    WORK.mkdir(exist_ok=True)
    only = a.only.split(",")
    if "extract" in only:
        for form, f in (("text", "text.jsonl"), ("html", "html.jsonl.gz")):
            out, s = analyze(f"extract-{form}", ds / "extract-dev" / f)
            print(f"[extract-dev {form}, {s:.1f} s] " + sh("eval", "extract", ds / "extract-dev" / "gold.jsonl", out))
    if "quotes" in only:
        out, s = analyze("quotes", ds / "quotes-dev" / "corpus.jsonl")
        print(f"[quotes-dev, {s:.1f} s] " + sh("eval", "quotes", ds / "quotes-dev" / "gold.jsonl", out))
    if "derivations" in only:
        out, s = analyze("derivations", ds / "derivations-dev" / "corpus.jsonl")
        print(f"[derivations-dev, {s:.1f} s] " + sh("eval", "derivations", ds / "derivations-dev" / "gold.json", out))
    if "stories" in only:
        out, s = analyze("stories", ds / "stories-dev" / "corpus.jsonl")
        print(f"[stories-dev, {s:.1f} s] " + sh("eval", "stories", ds / "stories-dev" / "gold.jsonl", out))
    if "wire" in only:
        # the three ways of the dataset (dates as given, none, newspapers on their print date)
        # and a crawl without outlets (bench/wire_variants.py)
        from wire_variants import VARIANTS, make_variant
        for v in VARIANTS:
            corpus = make_variant(ds / "wire-dev" / "corpus.jsonl", ds / "wire-dev" / "gold.jsonl", v,
                                  WORK / f"wire-{v}.jsonl")
            out, s = analyze(f"wire-{v}", corpus)
            print(f"[wire-dev {v}, {s:.1f} s] " + sh("eval", "wire", ds / "wire-dev" / "gold.jsonl", out))
    if "wire-stories" in only:         # wire-dev story grouping, dates as given
        out, s = analyze("wire-stories", ds / "wire-dev" / "corpus.jsonl")
        print(f"[wire-dev stories, {s:.1f} s] " + sh("eval", "stories", ds / "wire-dev" / "gold.jsonl", out))
    if "events" in only:               # events-dev: look-alike events, per topic too
        out, s = analyze("events", ds / "events-dev" / "corpus.jsonl")
        print(f"[events-dev, {s:.1f} s] " + sh("eval", "stories", ds / "events-dev" / "gold.jsonl", out))
    if "stories2" in only:             # the second stories corpus, built from derivations-dev
        subprocess.run([sys.executable, str(HERE / "make_stories2.py"), ds / "derivations-dev", WORK / "stories2"],
                       check=True, capture_output=True)
        out, s = analyze("stories2", ds / "derivations-dev" / "corpus.jsonl")
        print(f"[second stories corpus, {s:.1f} s] " + sh("eval", "stories", WORK / "stories2" / "gold.jsonl", out))


if __name__ == "__main__":
    main()
