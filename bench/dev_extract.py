"""Measure the line cleaner on extract-dev (text form).

    .venv/bin/python bench/dev_extract.py /work/shared/datasets/extract-dev/text.jsonl \
        /work/shared/datasets/extract-dev/gold.jsonl [--worst 15] [--show ID]

Runs ``clean_text`` over every record's text, with ``repeated`` computed over the
whole set first (as the pipeline does), writes a minimal analysis.json to a temp
path and prints the scorer's summary line.
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

from wiretrace.clean.leftovers import clean_text, line_key  # noqa: E402
from wiretrace.eval.extract import score, summary  # noqa: E402


def repeated_keys(texts: list[str]) -> frozenset[str]:
    c: Counter = Counter()
    for t in texts:
        c.update({line_key(ln) for ln in t.splitlines() if ln.strip()})
    return frozenset(k for k, n in c.items() if n >= 2 and k)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("text_jsonl")
    ap.add_argument("gold_jsonl")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages with the lowest F1")
    ap.add_argument("--show", default=None, help="print kept/removed lines of one id (prefix)")
    a = ap.parse_args()
    recs = [json.loads(ln) for ln in open(a.text_jsonl, encoding="utf-8") if ln.strip()]
    rep = repeated_keys([r.get("text") or "" for r in recs])
    t0 = time.perf_counter()
    res = {r["id"]: clean_text(r.get("text") or "", rep, r.get("title")) for r in recs}
    dt = time.perf_counter() - t0
    doc = {"schema": "wiretrace.analysis/1",
           "articles": [{"id": i, "text": c.text, "removed": c.removed, "title": c.title} for i, c in res.items()],
           "stories": [], "derivations": [], "quote_groups": [], "framing": []}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(doc, f)
        path = f.name
    out = score(a.gold_jsonl, path)
    Path(path).unlink()
    print(summary(out) + f"  ({len(recs) / dt:.0f} articles/s)")
    if a.worst:
        rows = []
        for i, d in out["per_article"].items():
            p = d["precision"] or 0.0
            r = d["recall"]
            rows.append((2 * p * r / (p + r) if p + r else 0.0, p, r, i))
        for f1, p, r, i in sorted(rows)[:a.worst]:
            print(f"{f1:.3f} P={p:.3f} R={r:.3f} {i[:12]}")
    if a.show:
        gold = {json.loads(l)["id"]: json.loads(l)["body"] for l in open(a.gold_jsonl, encoding="utf-8")}
        for i, c in res.items():
            if i.startswith(a.show):
                glines = {ln.strip() for ln in gold[i].split("\n") if ln.strip()}
                kept = set(c.text.split("\n\n"))
                rec = next(r for r in recs if r["id"] == i)
                skipped = 0
                for ln in rec["text"].splitlines():
                    s = ln.strip()
                    if not s:
                        continue
                    mark = ("K" if s in kept else "-") + ("g" if s in glines or any(s in g for g in glines) else " ")
                    if mark == "- ":
                        skipped += 1
                        continue
                    if skipped:
                        print(f"   ... {skipped} dropped non-gold lines")
                        skipped = 0
                    print(mark, s[:160])
                if skipped:
                    print(f"   ... {skipped} dropped non-gold lines")
                print("TITLE:", c.title)


if __name__ == "__main__":
    main()
