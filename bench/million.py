"""A corpus of any size finishes: N tiny JSONL articles through `wiretrace analyze`.

    .venv/bin/python bench/million.py 1000000 [--workers 2] [--keep DIR] [--rerun] [--resume]

Writes N one- or two-sentence articles (about 150 bytes of JSONL each; 1,000,000
make ~150 MB; seeded, with a made-up vocabulary of 20,000 words so that the
articles do not all share their words, and 1 in 50 a near-copy of an earlier
one), then runs the real command line on it in a fresh store and prints one
JSON line: exit code, wall seconds, peak memory of the process tree (summed PSS,
sampled every second: bench/procmem.py), store size, and the analysis's counts.
With ``--rerun`` the same command runs a second time on the same store (the
corpus work must come from the store, not be redone).  With ``--resume`` (and
``--keep``) the store of an earlier, killed run is kept: the run goes on from
what that one stored.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from procmem import run_measured  # noqa: E402


def write_corpus(n: int, path: Path, seed: int = 11) -> None:
    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "ba", "do", "fe", "gu", "ha", "jo"]
    vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(30000)})[:20000]
    places = [w.capitalize() for w in vocab[:2000]]
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            if texts and rng.random() < 0.02:          # a near-copy of a recent article
                src = texts[rng.randrange(max(0, len(texts) - 5000), len(texts))]
                text = src.replace(" the ", " a ", 1) + " Officials confirmed it."
            else:
                words = [vocab[min(int(rng.paretovariate(1.1)) - 1, len(vocab) - 1) if rng.random() < .3
                               else rng.randrange(len(vocab))] for _ in range(rng.randint(10, 16))]
                text = (f"{rng.choice(places)} council said the {' '.join(words[:6])} on day {rng.randint(1, 999)}. "
                        f"The {' '.join(words[6:])} will follow.")
            texts.append(text)
            if len(texts) > 5000:
                texts = texts[-5000:]
            f.write(json.dumps({"id": f"n{i}", "text": text}) + "\n")


def run(cmd: list[str], sample: float) -> tuple[int, float, int]:
    rc, secs, peak, err = run_measured(cmd, sample)
    if rc:
        sys.stderr.write(err[-5000:])
    return rc, secs, peak


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--keep", type=Path, default=None, help="folder for the corpus, store and analysis")
    ap.add_argument("--rerun", action="store_true")
    ap.add_argument("--resume", action="store_true", help="keep the store of a killed run in --keep")
    ap.add_argument("--sample", type=float, default=1.0)
    a = ap.parse_args()
    work = a.keep or Path(tempfile.mkdtemp(prefix="wt-million-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"tiny-{a.n}.jsonl"
    if not corpus.exists():
        write_corpus(a.n, corpus)
    db, out = work / "w.db", work / "analysis.json"
    for f in (out,) if a.resume else (db, Path(f"{db}-wal"), Path(f"{db}-shm"), out):
        if f.exists():
            f.unlink()
    cmd = [sys.executable, "-m", "wiretrace.cli", "analyze", str(corpus), "--db", str(db), "-o", str(out), "-q"]
    if a.workers:
        cmd += ["--workers", str(a.workers)]
    for attempt in (("resumed" if a.resume else "first"), "rerun")[:2 if a.rerun else 1]:
        rc, secs, peak = run(cmd, a.sample)
        size = sum(f.stat().st_size for f in (db, Path(f"{db}-wal")) if f.exists())
        counts = {}
        if rc == 0:
            doc = json.loads(out.read_text(encoding="utf-8"))
            counts = {k: len(doc[k]) for k in ("articles", "stories", "derivations", "problems")}
            del doc
        print(json.dumps({"run": attempt, "n": a.n, "exit": rc, "seconds": round(secs, 1),
                          "peak_pss_mib": round(peak / 2**20), "store_mib": round(size / 2**20),
                          "corpus_mib": round(corpus.stat().st_size / 2**20), **counts}), flush=True)
        if rc:
            break


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
