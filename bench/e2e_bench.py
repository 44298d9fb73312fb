"""The whole pipeline on the realistic corpus, this version beside a previous release.

    .venv/bin/python bench/e2e_bench.py --sizes 10000,100000 [--only current|previous|both]
        [--workdir /tmp/wt-e2e] [--seed 7] [--shared ../shared] [--previous 9844d07]

For each size: the corpus of ``bench/realistic.py`` (made once in WORKDIR/realistic-N, kept
for the next run), then ``wiretrace analyze CORPUS --db FRESH.db -o analysis.json -q``
(default options; run through ``bench/cli_timed.py``, which runs that version's own CLI and
notes when each stage starts) by this worktree's code and by the previous release (git commit
``--previous``, checked out detached in ``--prev-tree``, default /tmp/wt-prev, made with
``git worktree add --detach`` when missing, run with ``PYTHONPATH`` on it and the same
interpreter). Recorded per run: wall seconds of the command, peak PSS of its process tree
(``bench/procmem.py``, sampled every ``--sample`` seconds), store size on disk (the SQLite
file with its -wal/-shm), exit code, seconds per stage; and the planted copies found:

- recall: planted (source, target) pairs reported as a derivation source -> target (by kind
  too);
- precision: derivations that are planted pairs, over all derivations; "lenient" also
  accepts a source that is another copy of the same planted source (a sibling) or a pair
  in reverse that is planted;
- between originals: derivations between two articles no planted pair links (the corpus
  has none: any such pair is false).

A table is printed (ratio = previous wall / current wall, and the same for peak PSS) and
every run appended as one JSON line to WORKDIR/results.jsonl.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import realistic
from procmem import run_measured


def read_derivations(path: Path) -> list[dict]:
    """The top-level ``derivations`` array of an analysis.json without loading its articles:
    the key is found by a chunked scan (inside article text a quotation mark is escaped, so
    the unescaped key can only be the key) and the array decoded from there."""
    keys = (b'"derivations": [', b'"derivations":[')
    offset, pos, tail = None, 0, b""
    with path.open("rb") as f:
        while offset is None:
            chunk = f.read(1 << 23)
            if not chunk:
                break
            buf = tail + chunk
            hits = [buf.find(k) for k in keys]
            hits = [h for h in hits if h >= 0]
            if hits:
                offset = pos - len(tail) + min(hits)
            tail = buf[-32:]
            pos += len(chunk)
        if offset is None:
            return []
        f.seek(offset)
        rest = f.read().decode("utf-8")
    start = rest.index("[")
    arr, _ = json.JSONDecoder().raw_decode(rest, start)
    return arr


def score(derivs: list[dict], copies_path: Path) -> dict:
    planted: dict[tuple[str, str], str] = {}
    copies_of: dict[str, set[str]] = collections.defaultdict(set)
    sources_of: dict[str, set[str]] = collections.defaultdict(set)
    linked: set[str] = set()
    with copies_path.open(encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            planted[(c["source"], c["target"])] = c["kind"]
            copies_of[c["source"]].add(c["target"])
            sources_of[c["target"]].add(c["source"])
            linked.update((c["source"], c["target"]))
    found = {(d["source"], d["target"]) for d in derivs}
    by_kind = collections.Counter(planted.values())
    hit_kind = collections.Counter(k for p, k in planted.items() if p in found)
    strict = sum(1 for p in found if p in planted)
    lenient = 0
    for s, t in found:
        if (s, t) in planted or (t, s) in planted:
            lenient += 1
            continue
        # a sibling: s and t both copies of one planted source
        if any(s in copies_of[src] for src in sources_of.get(t, ())):
            lenient += 1
    between = sum(1 for s, t in found if s not in linked and t not in linked)
    n = len(found)
    return {"planted": len(planted), "derivations": n,
            "recall": round(sum(1 for p in planted if p in found) / max(len(planted), 1), 4),
            "recall_by_kind": {k: round(hit_kind[k] / by_kind[k], 4) for k in sorted(by_kind)},
            "precision": round(strict / n, 4) if n else None,
            "precision_lenient": round(lenient / n, 4) if n else None,
            "between_unlinked": between}


def ensure_prev(tree: Path, commit: str) -> None:
    if (tree / "wiretrace" / "cli.py").exists():
        return
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), commit], check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--only", choices=["current", "previous", "both"], default="both")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/wt-e2e"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--previous", default="9844d07", help="git commit of the previous release")
    ap.add_argument("--prev-tree", type=Path, default=Path("/tmp/wt-prev"))
    ap.add_argument("--sample", type=float, default=0.5, help="seconds between PSS samples")
    a = ap.parse_args()
    a.workdir.mkdir(parents=True, exist_ok=True)
    versions = {"current": ROOT, "previous": a.prev_tree}
    order = ["previous", "current"] if a.only == "both" else [a.only]
    if "previous" in order:
        ensure_prev(a.prev_tree, a.previous)
    rows = []
    for n in [int(x) for x in a.sizes.split(",") if x.strip()]:
        cdir = a.workdir / f"realistic-{n}-s{a.seed}"
        if not (cdir / "meta.json").exists():
            meta = realistic.generate(n, cdir, a.seed, a.shared, progress=True)
            print(f"corpus {n}: {json.dumps(meta['counts'])}, 8-gram check {json.dumps(meta['check'])}",
                  flush=True)
        for v in order:
            run_dir = a.workdir / f"run-{v}-{n}"
            run_dir.mkdir(exist_ok=True)
            db, out = run_dir / "w.db", run_dir / "analysis.json"
            for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), out):
                if f.exists():
                    f.unlink()
            env = dict(os.environ, PYTHONPATH=str(versions[v]), PYTHONHASHSEED="0")
            times = run_dir / "stage-times.json"
            # the version's own CLI, its progress callback noting when each stage starts
            cmd = [sys.executable, str(ROOT / "bench" / "cli_timed.py"), str(times), "analyze",
                   str(cdir / "corpus.jsonl"), "--db", str(db), "-o", str(out), "-q"]
            rc, secs, peak, err = run_measured(cmd, a.sample, env=env, cwd=run_dir)
            size = sum(f.stat().st_size for f in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if f.exists())
            row = {"version": v, "commit": a.previous if v == "previous" else _head(), "n": n, "exit": rc,
                   "wall_s": round(secs, 1), "peak_pss_mib": round(peak / 2**20), "store_mib": round(size / 2**20, 1)}
            if times.exists():
                row["stages"] = stage_seconds(json.loads(times.read_text(encoding="utf-8")))
            if rc == 0:
                row.update(score(read_derivations(out), cdir / "copies.jsonl"))
            else:
                row["stderr"] = err[-3000:]
                sys.stderr.write(err[-3000:])
            rows.append(row)
            with (a.workdir / "results.jsonl").open("a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")
            print(json.dumps(row), flush=True)
    print()
    print("| version | n | wall s | peak PSS MiB | store MiB | copy recall | precision (lenient) | ratio time / memory |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        prev = next((p for p in rows if p["version"] == "previous" and p["n"] == r["n"]), None)
        ratio = ""
        if r["version"] == "current" and prev and r["exit"] == 0 and prev["exit"] == 0:
            ratio = (f"{prev['wall_s'] / max(r['wall_s'], 1e-9):.2f}x / "
                     f"{prev['peak_pss_mib'] / max(r['peak_pss_mib'], 1):.2f}x")
        print(f"| {r['version']} | {r['n']:,} | {r['wall_s']} | {r['peak_pss_mib']:,} | {r['store_mib']} | "
              f"{r.get('recall', 'failed')} | {r.get('precision')} ({r.get('precision_lenient')}) | {ratio} |")
    print()
    print("Seconds per stage:")
    for r in rows:
        print(f"  {r['version']} {r['n']:,}: " + ", ".join(f"{k} {v}" for k, v in (r.get("stages") or {}).items()))


def stage_seconds(t: dict) -> dict[str, float]:
    """Seconds per stage from ``cli_timed.py``'s start times: "read" before the first
    stage; the last stage's time includes writing the analysis (the store's copy and
    analysis.json)."""
    starts = t.get("stages") or []
    out = {"read": starts[0][1] if starts else t["end"]}
    for k, (name, at) in enumerate(starts):
        nxt = starts[k + 1][1] if k + 1 < len(starts) else t["end"]
        label = name if k + 1 < len(starts) else f"{name} + writing"
        out[label] = round(nxt - at, 1)
    return out


def _head() -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


if __name__ == "__main__":
    main()
