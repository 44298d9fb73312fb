"""Local engine vs. Spark engine on synthetic corpora (bench/synth.py).

    .venv/bin/python bench/spark_bench.py 2000 5000 [--master local[2]] [--sentences syntok]

For each size: writes the corpus as JSONL (seeded: the same size always gives
the same corpus), runs ``pipeline.analyze`` and ``spark.engine.analyze_spark``
in fresh processes, checks that derivations / quote groups / stories agree,
and prints one JSON line per run: wall seconds, per-stage seconds (Spark), and
peak memory = the largest sum of PSS over the process tree (driver + JVM +
Python workers, or the local engine's forked workers), sampled every 0.2 s
(PSS splits pages shared by fork among their processes; a sum of RSS would
count them once per process).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from procmem import tree_pss  # noqa: E402


def write_corpus(n: int, path: Path) -> None:
    from synth import make_corpus

    texts, _ = make_corpus(n, seed=2026)
    with path.open("w", encoding="utf-8") as f:
        for i, t in enumerate(texts):
            # one day per 500 articles, so that dates order the copies as synth made them
            day = 1 + i // 500
            f.write(json.dumps({"id": f"d{i}", "text": t, "published": f"2024-01-{min(day, 28):02d}T{(i % 24):02d}:00:00Z",
                                "title": " ".join(t.split()[:8])}) + "\n")


def write_parts(n: int, folder: Path, parts: int) -> None:
    """The corpus of ``write_corpus`` as ``parts`` files part-000.jsonl, ...: the
    same articles in the same order (the local engine walks a folder by name)."""
    folder.mkdir(parents=True)
    whole = folder / "all.tmp"
    write_corpus(n, whole)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    whole.unlink()
    per = -(-len(lines) // parts)
    for k in range(parts):
        (folder / f"part-{k:03d}.jsonl").write_text("".join(lines[k * per:(k + 1) * per]), encoding="utf-8")


CHILD = r"""
import json, sys, time, tempfile, os
sys.path.insert(0, {root!r})
from wiretrace.pipeline import Options, analyze
opts = Options(sentences={sentences!r})
t = time.perf_counter()
if {engine!r} == "local":
    with tempfile.TemporaryDirectory() as tmp:
        d = analyze([{corpus!r}], db=os.path.join(tmp, "b.db"), options=opts).to_dict()
    times = {{}}
else:
    from wiretrace.spark.engine import analyze_spark, _Timer
    from wiretrace.spark.session import spark_session
    t0 = time.perf_counter()
    spark = spark_session({master!r})
    start = time.perf_counter() - t0
    d = analyze_spark([{corpus!r}], spark=spark, options=opts)
    times = dict(_Timer.times, session_start=round(start, 1))
    spark.stop()
wall = time.perf_counter() - t
keep = {{k: d[k] for k in ("derivations", "quote_groups", "stories")}}
json.dump(keep, open({out!r}, "w"), sort_keys=True)
print(json.dumps({{"wall": round(wall, 1), "times": times, "articles": len(d["articles"]),
                  "derivations": len(d["derivations"]), "stories": len(d["stories"])}}))
"""


def run(engine: str, corpus: Path, out: Path, master: str, sentences: str, every: float = 0.2) -> dict:
    code = CHILD.format(root=str(ROOT), engine=engine, corpus=str(corpus), out=str(out), master=master,
                        sentences=sentences)
    env = dict(os.environ, WIRETRACE_SPARK_TIMING="1")
    err = out.with_suffix(".err")
    ef = err.open("w")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=ef, text=True, env=env)
    peak = [0]

    def sample():
        while p.poll() is None:
            peak[0] = max(peak[0], tree_pss(p.pid))
            time.sleep(every)
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, _ = p.communicate()
    th.join()
    ef.close()
    if p.returncode == 0:
        res = json.loads(stdout.strip().splitlines()[-1])
    else:
        tail = [ln for ln in err.read_text(errors="replace").splitlines() if "WARN" not in ln][-15:]
        res = {"error": p.returncode, "stderr": tail}
    res.update(engine=engine, peak_pss_mb=round(peak[0] / 2**20))
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sizes", type=int, nargs="+")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--sentences", default="syntok")
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--sample", type=float, default=0.2,
                    help="seconds between memory samples (reading PSS of a multi-GB process tree costs CPU: "
                         "~20%% of a core at 0.2 s on 100k articles; use 1 for long runs)")
    ap.add_argument("--parts", type=int, default=1,
                    help="write each corpus as a folder of this many JSONL files (a crawl's layout; "
                         "Spark reads a file per task)")
    ap.add_argument("--keep", help="a folder for the corpora and each engine's results, kept after "
                    "the run: a later run with --engines spark compares with the kept local result")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(a.keep) if a.keep else Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        for n in a.sizes:
            corpus = where / (f"synth{n}.jsonl" if a.parts == 1 else f"synth{n}")
            if not corpus.exists():
                if a.parts == 1:
                    write_corpus(n, corpus)
                else:
                    write_parts(n, corpus, a.parts)
            outs = {e: where / f"{e}{n}.json" for e in ("local", "spark")}
            for engine in a.engines.split(","):
                outs[engine].unlink(missing_ok=True)
                res = run(engine, corpus, outs[engine], a.master, a.sentences, a.sample)
                res["n"] = n
                print(json.dumps(res), flush=True)
            if all(p.exists() for p in outs.values()):
                same = outs["local"].read_text() == outs["spark"].read_text()
                print(json.dumps({"n": n, "identical": same}), flush=True)


if __name__ == "__main__":
    main()
