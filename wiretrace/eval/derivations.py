"""Score an analysis.json against a derivations gold (datasets/README.md,
section derivations-dev): strict and lenient pair P/R/F1, kind and credited
accuracy over strictly correct pairs, false derivation rate on independent
pairs, patchwork recall, and sentence provenance P/R/F1 (strict and lenient)."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path


def _prf(tp_p: int, n_sys: int, tp_r: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class _Families:
    """Copies of one original: the gold's single-parent chains (patchworks,
    which have several sources, are leaves of no family)."""

    def __init__(self, gold: dict):
        patch = set(gold.get("patchwork", []))
        self.parent: dict[str, str] = {}
        for d in gold["derivations"]:
            if d["target"] not in patch and d.get("how") != "stitched":
                self.parent[d["target"]] = d["source"]
        self.patch = patch

    def root(self, x: str) -> str:
        seen = set()
        while x in self.parent and x not in seen:
            seen.add(x)
            x = self.parent[x]
        return x

    def descends_from(self, x: str, anc: str) -> bool:
        """``x`` is ``anc`` or a copy made (directly or not) from it."""
        seen = set()
        while x not in seen:
            if x == anc:
                return True
            seen.add(x)
            if x not in self.parent:
                return False
            x = self.parent[x]
        return False

    def ok(self, sys_src: str, gold_src: str, target: str) -> bool:
        """Lenient: the system's source is the gold source or another copy of
        the same original, but never the target or a copy made from it."""
        if sys_src == gold_src:
            return True
        if sys_src == target or sys_src in self.patch or self.descends_from(sys_src, target):
            return False
        return self.root(sys_src) == self.root(gold_src)


def _collapse(text: str) -> tuple[str, list[int]]:
    """Text with whitespace runs collapsed to one space, and the index in the
    original text of every collapsed character."""
    out, idx = [], []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch)
            prev_space = False
        idx.append(i)
    return "".join(out), idx


def _covered(start: int, end: int, spans: list[tuple[int, int]]) -> int:
    n = 0
    last = start
    for s, e in sorted(spans):
        s, e = max(s, last), min(e, end)
        if e > s:
            n += e - s
            last = e
    return n


def score(gold_path: str | Path, analysis_path: str | Path) -> dict:
    gold = json.loads(Path(gold_path).read_text("utf-8"))
    ana = json.loads(Path(analysis_path).read_text("utf-8"))
    fam = _Families(gold)
    gpairs = {(d["source"], d["target"]): d for d in gold["derivations"]}
    spairs: dict[tuple[str, str], dict] = {}
    for d in ana.get("derivations", []):
        spairs.setdefault((d["source"], d["target"]), d)

    # pairs, strict
    strict_tp = [p for p in spairs if p in gpairs]
    sp, sr, sf = _prf(len(strict_tp), len(spairs), len(strict_tp), len(gpairs))
    # pairs, lenient
    gold_by_t: dict[str, list[str]] = defaultdict(list)
    for s, t in gpairs:
        gold_by_t[t].append(s)
    sys_by_t: dict[str, list[str]] = defaultdict(list)
    for s, t in spairs:
        sys_by_t[t].append(s)
    len_p = sum(1 for s, t in spairs if any(fam.ok(s, g, t) for g in gold_by_t.get(t, ())))
    found = {(g, t) for g, t in gpairs if any(fam.ok(s, g, t) for s in sys_by_t.get(t, ()))}
    lp, lr, lf = _prf(len_p, len(spairs), len(found), len(gpairs))
    # kind / credited over strictly correct pairs
    kind_ok = sum(1 for p in strict_tp if spairs[p].get("kind") == gpairs[p]["kind"])
    cred_ok = sum(1 for p in strict_tp if bool(spairs[p].get("credited")) == bool(gpairs[p]["credited"]))
    n_tp = len(strict_tp)
    # independent pairs
    indep = gold.get("independent_pairs", [])
    false = sum(1 for a, b in indep if (a, b) in spairs or (b, a) in spairs)
    # patchworks
    patch = gold.get("patchwork", [])
    patch_ok = sum(1 for t in patch if sum(1 for g in gold_by_t.get(t, ()) if (g, t) in found) >= 3)

    # sentence provenance
    texts = {a["id"]: a.get("text") or "" for a in ana.get("articles", [])}
    spans_by: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    for d in ana.get("derivations", []):
        for p in d.get("passages", []):
            spans_by[d["target"]][d["source"]].append((p["target_start"], p["target_end"]))
    tp = fp = fn = ltp = lfp = lfn = 0
    n_sent = missing = 0
    for t, sents in gold.get("sentences", {}).items():
        coll, idx = _collapse(texts.get(t, ""))
        pos = 0
        for g in sents:
            n_sent += 1
            gsrc = g.get("source")
            needle = re.sub(r"\s+", " ", g["text"]).strip()
            k = coll.find(needle, pos) if needle else -1
            if k < 0 and needle:
                k = coll.find(needle)
            if k < 0 or not needle:
                missing += 1          # skipped, and counted
                continue
            pos = k + len(needle)
            start, end = idx[k], idx[k + len(needle) - 1] + 1
            length = end - start
            attributed = [s for s, sp_ in spans_by.get(t, {}).items()
                          if _covered(start, end, sp_) * 2 >= length]
            # strict
            if gsrc and gsrc in attributed:
                tp += 1
            elif gsrc:
                fn += 1
            if any(s != gsrc for s in attributed):
                fp += 1
            # lenient
            if gsrc and any(fam.ok(s, gsrc, t) for s in attributed):
                ltp += 1
            elif gsrc:
                lfn += 1
            if any(not (gsrc and fam.ok(s, gsrc, t)) for s in attributed):
                lfp += 1
    stp, str_, stf = _prf(tp, tp + fp, tp, tp + fn)
    lsp, lsr, lsf = _prf(ltp, ltp + lfp, ltp, ltp + lfn)
    return {
        "pairs": {"gold": len(gpairs), "system": len(spairs), "strict_correct": n_tp,
                  "lenient_correct_system": len_p, "lenient_found_gold": len(found)},
        "pairP": sp, "pairR": sr, "pairF1": sf,
        "lenientP": lp, "lenientR": lr, "lenientF1": lf,
        "kindAcc": kind_ok / n_tp if n_tp else 0.0,
        "creditedAcc": cred_ok / n_tp if n_tp else 0.0,
        "falseRate": false / len(indep) if indep else 0.0, "false_pairs": false,
        "patchRecall": patch_ok / len(patch) if patch else 0.0,
        "sentP": stp, "sentR": str_, "sentF1": stf,
        "lenientSentP": lsp, "lenientSentR": lsr, "lenientSentF1": lsf,
        "sentences": n_sent, "sentences_not_found": missing,
    }


def summary(result: dict) -> str:
    r = result
    return (f"derivations pairF1={r['pairF1']:.3f} lenientF1={r['lenientF1']:.3f} "
            f"kindAcc={r['kindAcc']:.3f} falseRate={r['falseRate']:.3f} "
            f"patchRecall={r['patchRecall']:.3f} sentF1={r['sentF1']:.3f}")


def main(argv: list[str] | None = None) -> None:
    """python -m wiretrace.eval.derivations GOLD.json ANALYSIS.json [--json]"""
    import sys
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 2:
        raise SystemExit(main.__doc__)
    r = score(args[0], args[1])
    print(summary(r))
    if "--json" in args:
        print(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
