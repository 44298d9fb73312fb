"""Build a second stories gold from derivations-dev (PolNeAR campaign coverage).

    .venv/bin/python bench/make_stories2.py DERIVATIONS_DIR OUT_DIR

Gold stories: each original together with all its copies (the gold's
republished/rewritten derivations, following copy-of-copy chains); the
independent same-event pairs merged into one story each (pairs sharing an
article join transitively); every other article -- including the patchworks,
which stitch several different stories -- a story of its own.
Writes OUT_DIR/corpus.jsonl (the input corpus, unchanged) and OUT_DIR/gold.jsonl.

What this gold can and cannot say (from the dataset's own description, not from
any score).  Its positive links are asserted by the dataset: a copy retells its
source, and the independent same-event groups were chosen by hand (the gold lists
them as cliques, e.g. four responses to one shooting over four days).  Its
negative links are not: the same-event groups were picked "among pairs with
similar vocabulary published within three days" as test pairs for the derivation
task, not as an exhaustive partition, and 123 of the 200 originals are in no
group.  An original left alone here is "not labelled", not "checked to be alone":
two unlabelled originals on one event (three reports of one campaign rally, say)
count as two stories, so a grouping that joins them loses precision.  Read the
second corpus' BCubed precision as a lower bound; its recall is sound.  The gold
is kept as built: completing it needs a same-event judgement on every pair of
the 123 ungrouped originals, which the dataset does not give and which this
script cannot make without hand labels.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path


def main() -> None:
    src, out = Path(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    gold = json.loads((src / "gold.json").read_text("utf-8"))
    ids = [json.loads(x)["id"] for x in (src / "corpus.jsonl").read_text("utf-8").splitlines() if x.strip()]
    parent = {i: i for i in ids}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    patch = set(gold.get("patchwork", []))
    for d in gold["derivations"]:
        if d.get("how") == "stitched" or d["target"] in patch:
            continue
        union(d["source"], d["target"])
    for a, b in gold["independent_pairs"]:
        union(a, b)
    shutil.copyfile(src / "corpus.jsonl", out / "corpus.jsonl")
    with open(out / "gold.jsonl", "w", encoding="utf-8") as f:
        for i in ids:
            f.write(json.dumps({"id": i, "story": "g" + find(i)}) + "\n")
    n = len({find(i) for i in ids})
    print(f"{len(ids)} articles, {n} gold stories -> {out}")


if __name__ == "__main__":
    main()
