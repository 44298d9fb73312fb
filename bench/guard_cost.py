"""What fault isolation costs: this tree against an earlier commit, same corpus, same machine.

    .venv/bin/python bench/guard_cost.py 10000 --base 9844d07 [--this HEAD] [--rounds 2]

Writes the seeded synthetic corpus of bench/synth.py (as bench/spark_bench.py
does), checks both commits out into temporary worktrees, and runs `wiretrace analyze`
(default options, a fresh store each time) alternately from the base and this one, ``--rounds`` times each.  CPU seconds are user + sys
of the whole process tree (getrusage of the waited-for children: the forked
workers included), which a busy machine inflates far less than wall time; both
are printed, with the ratio of the medians.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))


def one_run(tree: Path, corpus: Path, work: Path) -> tuple[float, float]:
    db = work / "w.db"
    for f in work.glob("w.db*"):
        f.unlink()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(corpus), "--db", str(db),
                    "-o", str(work / "a.json"), "-q"], check=True, env=env, cwd=work)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--base", required=True, help="git ref of the version without the guards")
    ap.add_argument("--this", default="HEAD", help="git ref of the version measured")
    ap.add_argument("--rounds", type=int, default=2)
    a = ap.parse_args()
    from spark_bench import write_corpus

    work = Path(tempfile.mkdtemp(prefix="wt-guard-"))
    corpus = work / f"synth-{a.n}.jsonl"
    write_corpus(a.n, corpus)
    base, this = work / "base", work / "this"
    for tree, ref in ((base, a.base), (this, a.this)):
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), ref], check=True,
                       capture_output=True)
    try:
        res: dict[str, list[tuple[float, float]]] = {"base": [], "this": []}
        for r in range(a.rounds):
            for name, tree in (("base", base), ("this", this)):
                cpu, wall = one_run(tree, corpus, work)
                res[name].append((cpu, wall))
                print(json.dumps({"round": r, "tree": name, "cpu_s": round(cpu, 1), "wall_s": round(wall, 1)}),
                      flush=True)
        med = {k: (statistics.median(c for c, _ in v), statistics.median(w for _, w in v)) for k, v in res.items()}
        print(json.dumps({"articles": a.n, "base": a.base, "this": a.this, "cpu_base_s": round(med["base"][0], 1),
                          "cpu_this_s": round(med["this"][0], 1),
                          "cpu_ratio": round(med["this"][0] / med["base"][0], 4),
                          "wall_base_s": round(med["base"][1], 1), "wall_this_s": round(med["this"][1], 1)}))
    finally:
        for tree in (base, this):
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], capture_output=True)


if __name__ == "__main__":
    main()
