"""wire-dev three ways (datasets/README.md, section wire-dev): the direction of
copying must hold however well the crawl is dated.

    .venv/bin/python bench/wire_variants.py [--shared ../shared] [--only given,undated,nextday]

- ``given``: the corpus as it is (agency copies at their filing time, newspapers
  at the date of the agency catchline they were filed under, a day);
- ``undated``: every ``published`` removed;
- ``nextday``: newspapers dated the day after their catchline date (their print date);
- ``nooutlet`` (not one of the dataset's three; a crawl of plain files often has no
  outlet field): every ``outlet`` removed, dates as given.  PA's copies are then
  known only by their own marks: the byline, the operator notes, the sign-off.

Each variant goes through the real command line (``wiretrace analyze``, then
``wiretrace eval wire``) on a fresh store; corpora and outputs land in bench/_work/.
The variants are made from the corpus and gold files only (the gold's ``kind``
says which texts are newspapers); nothing here reaches into the product.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
VARIANTS = ("given", "undated", "nextday", "nooutlet")


def sh(*args: object) -> str:
    p = subprocess.run([sys.executable, "-m", "wiretrace.cli", *map(str, args)], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, args))}\n{p.stderr[-3000:]}")
    return p.stdout.strip()


def make_variant(corpus: Path, gold: Path, variant: str, out: Path) -> Path:
    kinds = {}
    for line in gold.read_text("utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            kinds[str(r["id"])] = r["kind"]
    rows = []
    for line in corpus.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if variant == "undated":
            r.pop("published", None)
        elif variant == "nooutlet":
            r.pop("outlet", None)
        elif variant == "nextday" and kinds.get(str(r["id"])) == "newspaper" and r.get("published"):
            r["published"] = (date.fromisoformat(r["published"][:10]) + timedelta(days=1)).isoformat()
        rows.append(r)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return out


def run_variant(ds: Path, variant: str) -> dict:
    WORK.mkdir(exist_ok=True)
    gold = ds / "gold.jsonl"
    corpus = make_variant(ds / "corpus.jsonl", gold, variant, WORK / f"wire-{variant}.jsonl")
    out, db = WORK / f"wire-{variant}.json", WORK / f"wire-{variant}.db"
    if db.exists():
        db.unlink()
    sh("analyze", corpus, "--db", db, "-o", out, "-q")
    return json.loads(sh("eval", "wire", gold, out, "--json").rsplit("\n", 1)[0])


def table(results: dict[str, dict]) -> str:
    rows = [("wrong way (newspaper -> PA)", lambda m: f"{m['wrong_way']} ({m['wrong_way_pct_of_mixed']:.1f}% of "
                                                     f"{m['wrong_way'] + m['pa_to_newspaper']})"),
            ("newspaper -> newspaper", lambda m: f"{m['newspaper_to_newspaper']} "
                                                 f"({m['newspaper_to_newspaper_pct']:.1f}% of {m['newspapers']})"),
            ("across stories", lambda m: f"{m['across_stories']} ({m['across_stories_pct']:.1f}% of "
                                         f"{m['derivations']})"),
            ("newspapers derived from a PA copy of their story",
             lambda m: f"{m['coverage']} of {m['newspapers']} ({m['coverage_pct']:.1f}%)"),
            ("... by an agency copy on its own (not only jointly)", lambda m: str(m.get("coverage_alone", ""))),
            ("PA -> PA (lineage)", lambda m: str(m["pa_to_pa"])),
            ("sibling pairs (same story)", lambda m: f"{m['siblings']} ({m['siblings_same_story']})"),
            ("own text of another day, apart (across stories)",
             lambda m: f"{m['own_reuse']} ({m['own_reuse_across_stories']})"),
            ("same-day rewrites set aside for an agency copy", lambda m: str(m.get("set_aside", 0))),
            ("derivations on joint evidence (agency copy + rewrite set aside)", lambda m: str(m.get("joint", 0))),
            ("stories BCubed F1 (P/R)", lambda m: f"{m['stories']['bcubed_f1']:.3f} "
                                                  f"({m['stories']['bcubed_precision']:.3f}/"
                                                  f"{m['stories']['bcubed_recall']:.3f})")]
    names = list(results)
    lines = ["| wire-dev | " + " | ".join(names) + " |", "| --- |" + " --- |" * len(names)]
    for label, f in rows:
        lines.append(f"| {label} | " + " | ".join(f(results[n]) for n in names) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--only", default=",".join(VARIANTS))
    a = ap.parse_args()
    ds = a.shared / "datasets" / "wire-dev"
    results = {}
    for v in a.only.split(","):
        results[v] = run_variant(ds, v)
        m = results[v]
        print(f"[wire-dev {v}] wrongWay={m['wrong_way']} paperToPaper={m['newspaper_to_newspaper']} "
              f"across={m['across_stories']} coverage={m['coverage']}/{m['newspapers']} "
              f"bcubedF1={m['stories']['bcubed_f1']:.3f}", flush=True)
    print(table(results))


if __name__ == "__main__":
    main()
