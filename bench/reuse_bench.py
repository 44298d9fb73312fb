"""Benchmark: wiretrace candidate pairs vs. datasketch MinHash + MinHashLSH.

    .venv/bin/python bench/reuse_bench.py --sizes 1000 10000 100000 [--ds-max 20000]
    .venv/bin/python bench/reuse_bench.py --dev /work/shared/datasets/derivations-dev

Per size, the synthetic corpus (bench/synth.py, seeded) is generated once and
pickled to a temporary file; each method then runs in a fresh subprocess (one
core: OMP/OPENBLAS/MKL threads = 1) that loads the corpus, times candidate
generation only, and reports the RSS before the run and the peak RSS during it
(VmHWM reset through /proc/self/clear_refs after loading; ru_maxrss otherwise).
Recall is over the planted (source, copy) pairs.

Baseline: datasketch MinHash (same num_perm, same word 5-gram shingles from our
tokenizer, fed as UTF-8 strings) + MinHashLSH(threshold=0.3), insert all then
query all.  When a size exceeds ``--ds-max``, datasketch runs on the first
``ds-max`` documents and its time is extrapolated linearly (marked in output).

``--stage full`` times the whole reuse stage, ``find_derivations`` (candidates,
the furniture index, alignment of every candidate pair, direction, parent choice,
kind, credit and share) on the same corpora, one core, with publication times in
corpus order (copies are generated after their sources); recall is over planted
(source, copy) pairs found with the right direction, precision over all
derivations reported.

``--dev DIR`` prints recall of the gold derivation pairs / number of candidate
pairs on derivations-dev for a sweep of the containment-path settings (the
evidence for the constants in wiretrace/reuse/candidates.py).
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time

from procmem import tree_pss
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

NUM_PERM = 128
N = 5


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) so loading the corpus is not counted."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def run_ours(texts):
    from wiretrace.reuse.candidates import candidate_pairs
    return {(i, j) for i, j, _ in candidate_pairs(texts, n=N, num_perm=NUM_PERM)}


def run_datasketch(texts):
    from datasketch import MinHash, MinHashLSH
    from wiretrace.reuse.shingles import normalized_joined
    lsh = MinHashLSH(threshold=0.3, num_perm=NUM_PERM)
    sigs = []
    for i, t in enumerate(texts):
        toks = normalized_joined(t).split(b" ")
        sh = {b" ".join(toks[k:k + N]) for k in range(max(1, len(toks) - N + 1))}
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch(list(sh))
        lsh.insert(i, m)
        sigs.append(m)
    pairs = set()
    for i, m in enumerate(sigs):
        for j in lsh.query(m):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


def run_full(texts):
    from wiretrace.model import Article
    from wiretrace.trace.derive import find_derivations
    arts = [Article(id=f"d{i}", text=t, published="2020-01-01T00:00:00Z" if i == 0 else
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1577836800 + 60 * i)))
            for i, t in enumerate(texts)]
    stats: dict = {}
    ders = find_derivations(arts, stats=stats)
    run_full.stats = stats
    return {(int(d.source[1:]), int(d.target[1:])) for d in ders}


def worker(method: str, corpus: str, limit: int | None) -> None:
    with open(corpus, "rb") as f:
        texts, truth = pickle.load(f)
    if limit is not None and limit < len(texts):
        texts = texts[:limit]
        truth = [t for t in truth if t[0] < limit and t[1] < limit]
    import numpy  # noqa: F401  imports are not timed
    import datasketch  # noqa: F401
    import wiretrace.reuse.candidates  # noqa: F401
    reset = _reset_peak()
    rss0 = _status_mb("VmRSS")
    # the whole reuse stage may fork workers: sample the memory of this process
    # and its children together as the sum of their PSS (proportional set size:
    # a page shared by fork is split among the processes sharing it, so the sum
    # is the memory really in use; the sum of RSS would count it once per process)
    tree_peak = [0]
    done = threading.Event()
    if method == "full":
        def sample():
            while not done.is_set():
                tree_peak[0] = max(tree_peak[0], tree_pss(os.getpid()))
                done.wait(0.1)
        threading.Thread(target=sample, daemon=True).start()
    t0 = time.perf_counter()
    pairs = {"ours": run_ours, "datasketch": run_datasketch, "full": run_full}[method](texts)
    dt = time.perf_counter() - t0
    done.set()
    directed = method == "full"        # derivations have a direction; candidate pairs do not
    peak = _status_mb("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    by_kind: dict[str, list[int]] = {}
    for s, t, k in truth:
        by_kind.setdefault(k, [0, 0])
        by_kind[k][1] += 1
        by_kind[k][0] += ((s, t) if directed else (min(s, t), max(s, t))) in pairs
    found = sum(v[0] for v in by_kind.values())
    planted = {(s, t) for s, t, _ in truth}
    precision = (sum(p in planted for p in pairs) / max(1, len(pairs))) if directed else None
    print(json.dumps({"method": method, "docs": len(texts), "seconds": dt, "peak_rss_mb": peak,
                      "rss_before_mb": rss0, "peak_is_since_start": reset, "pairs": len(pairs), "recall": found / max(1, len(truth)), "precision": precision,
                      "recall_by_kind": {k: v[0] / v[1] for k, v in sorted(by_kind.items())},
                      "stats": getattr(run_full, "stats", None),
                      "tree_peak_mb": tree_peak[0] / 2**20 if method == "full" else None}))


def _child(method: str, corpus: str, limit: int | None) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
               NUMEXPR_NUM_THREADS="1", PYTHONHASHSEED="0")
    cmd = [sys.executable, __file__, "--worker", method, "--corpus", corpus]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench(sizes: list[int], ds_max: int) -> None:
    from synth import make_corpus
    rows = []
    for n in sizes:
        texts, truth = make_corpus(n)
        with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as f:
            pickle.dump((texts, truth), f)
            path = f.name
        words = sum(t.count(" ") + 1 for t in texts)
        del texts
        try:
            ours = _child("ours", path, None)
            limit = ds_max if n > ds_max else None
            ds = _child("datasketch", path, limit)
        finally:
            os.unlink(path)
        ds_time = ds["seconds"] * (n / ds["docs"])
        row = {"size": n, "words": words, "planted_pairs": len(truth), "ours": ours, "datasketch": ds,
               "datasketch_seconds_at_size": ds_time, "extrapolated": limit is not None,
               "speedup": ds_time / ours["seconds"]}
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print("| docs | words | planted pairs | ours s | ours peak RSS MB (before) | ours recall | ours pairs "
          "| datasketch s | datasketch peak RSS MB (before) | datasketch recall | datasketch pairs | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        o, d = r["ours"], r["datasketch"]
        ext = f" (extrapolated from {d['docs']} docs: {d['seconds']:.1f} s)" if r["extrapolated"] else ""
        print(f"| {r['size']} | {r['words']} | {r['planted_pairs']} | {o['seconds']:.1f} | {o['peak_rss_mb']:.0f} ({o['rss_before_mb']:.0f}) "
              f"| {o['recall']:.3f} | {o['pairs']} | {r['datasketch_seconds_at_size']:.1f}{ext} "
              f"| {d['peak_rss_mb']:.0f} ({d['rss_before_mb']:.0f}) | {d['recall']:.3f} | {d['pairs']} | {r['speedup']:.1f}x |")
    print("\nrecall by kind:")
    for r in rows:
        print(r["size"], "ours", r["ours"]["recall_by_kind"], "datasketch", r["datasketch"]["recall_by_kind"])


def bench_full(sizes: list[int]) -> None:
    from synth import make_corpus
    print("| docs | planted pairs | seconds | peak RSS MB (before) | with workers: peak PSS MB | derivations | recall (directed) | precision |")
    print("|---|---|---|---|---|---|---|---|")
    for n in sizes:
        texts, truth = make_corpus(n)
        with tempfile.NamedTemporaryFile(suffix=".pkl", delete=False) as f:
            pickle.dump((texts, truth), f)
            path = f.name
        del texts
        try:
            r = _child("full", path, None)
        finally:
            os.unlink(path)
        print(f"| {n} | {len(truth)} | {r['seconds']:.1f} | {r['peak_rss_mb']:.0f} ({r['rss_before_mb']:.0f}) "
              f"| {r['tree_peak_mb']:.0f} | {r['pairs']} | {r['recall']:.3f} | {r['precision']:.3f} |", flush=True)
        print("   recall by kind:", r["recall_by_kind"], "steps:", r["stats"], flush=True)


def dev(path: str) -> None:
    from wiretrace.reuse.candidates import candidate_pairs
    d = Path(path)
    docs = [json.loads(x) for x in open(d / "corpus.jsonl", encoding="utf-8")]
    gold = json.load(open(d / "gold.json", encoding="utf-8"))
    idx = {x["id"]: i for i, x in enumerate(docs)}
    texts = [x["text"] for x in docs]
    gp = {tuple(sorted((idx[g["source"]], idx[g["target"]]))) for g in gold["derivations"]}
    print(f"{len(docs)} docs, {len(gp)} gold pairs, {len(docs) * (len(docs) - 1) // 2} possible")
    p = candidate_pairs(texts, containment=False)
    print("LSH only: recall %.3f pairs %d" % (sum((i, j) in gp for i, j, _ in p) / len(gp), len(p)))
    for k in (4, 8, 16):
        for m in (1, 2, 3):
            for df in (8, 20, 100):
                p = candidate_pairs(texts, sample_mod=k, min_shared=m, max_df=df)
                rec = sum((i, j) in gp for i, j, _ in p) / len(gp)
                print(f"sample_mod={k} min_shared={m} max_df={df}: recall {rec:.3f} pairs {len(p)}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--ds-max", type=int, default=20000,
                    help="largest corpus datasketch runs on; beyond it, a prefix and linear extrapolation")
    ap.add_argument("--stage", choices=["candidates", "full"], default="candidates")
    ap.add_argument("--dev", help="derivations-dev directory: sweep containment settings")
    ap.add_argument("--worker", choices=["ours", "datasketch", "full"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a.worker, a.corpus, a.limit)
    elif a.dev:
        dev(a.dev)
    elif a.stage == "full":
        bench_full(a.sizes)
    else:
        bench(a.sizes, a.ds_max)


if __name__ == "__main__":
    main()
