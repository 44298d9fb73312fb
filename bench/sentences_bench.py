"""Sentence splitters compared: boundary precision/recall on a hand-labelled set, and speed.

    PYTHONPATH=. .venv/bin/python bench/sentences_bench.py [--shared ../shared] [--only a,b] [--errors NAME]

**The labelled set**, `tests/fixtures/sentence_boundaries.jsonl`: one paragraph of real
news prose per line, `{"id", "source", "text", "boundaries"}`.  `source` is
`<dev set>:<article id>` (derivations-dev and quotes-dev: PolNeAR, US political news
2015-16; wire-dev: METER, UK Press Association copy and newspapers 1999-2000;
extract-dev: web news pages 2019; events-dev: ECB+ news).  Paragraphs were
picked for their hard cases (abbreviations and titles before names, initials,
decimals and times, quotes ending in ?"/!"/." with or without attribution,
ellipses, parentheses, numbered lists, e-mail addresses), then each was labelled by
reading it.  `boundaries` are the character offsets where a sentence starts,
the paragraph's first sentence excluded (so a paragraph of one sentence has none).
Conventions: a quotation of several sentences is split inside the quote ("A. B,"
he said. gives two sentences, the second being `B," he said.`); a quote ending
in ?"/!"/." that is followed by its attribution in lower case is one sentence;
an ellipsis between two sentences ends the first; a list number ("23.") does not
stand alone; a parenthesised full sentence is a sentence; semicolon lists are
one sentence.  Two paragraphs of tweet markup were left out as ambiguous.

**Speed**: every paragraph (line) of every text of derivations-dev, quotes-dev and
wire-dev (real news; PolNeAR and METER), split by each splitter in turn, in
one process on one core, through the same wrapper the product uses
(`split_sentences`: paragraphs, exact spans).  Each splitter is warmed up on a
few texts first (model or pattern loading is not timed).  Only ratios measured
in one run mean anything; the machine is shared.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from wiretrace.segment import sentences as S

HERE = Path(__file__).resolve().parent
FIXTURE = HERE.parent / "tests" / "fixtures" / "sentence_boundaries.jsonl"


def _located(split):
    """A paragraph splitter returning sentence strings, made into one returning spans
    (located as the product locates its own splitters' strings)."""
    return lambda par: S.locate_sentences(par, split(par))


def _third_party() -> dict:
    found = {}
    try:
        import blingfire
        found["blingfire"] = lambda par: blingfire.text_to_sentences_and_offsets(par)[1]
    except ImportError:
        pass
    try:
        import sentencex
        found["sentencex"] = _located(lambda par: sentencex.segment("en", par))
    except ImportError:
        pass
    try:
        import nupunkt
        found["nupunkt-raw"] = _located(nupunkt.sent_tokenize)
    except ImportError:
        pass
    return found


def splitters() -> dict:
    """name -> function(text) -> spans, every one cut into paragraphs (lines) first."""
    out = {name: (lambda text, n=name: S.split_sentences(text, n)) for name in S.ENGINES}
    for name, par_spans in _third_party().items():
        def whole(text, f=par_spans):
            spans = []
            for m in S._PARA.finditer(S.plain_spaces(text)):
                if m.group(0).strip():
                    spans += [(m.start() + a, m.start() + b) for a, b in f(m.group(0))]
            return spans
        out[name] = whole
    return out


def load_fixture(path: Path = FIXTURE) -> list[dict]:
    return [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]


def boundaries(spans: list[tuple[int, int]]) -> set[int]:
    return {a for a, _ in spans[1:]}


def score(split, items: list[dict]) -> tuple[float, float, float, list]:
    tp = fp = fn = 0
    errors = []
    for it in items:
        got, gold = boundaries(split(it["text"])), set(it["boundaries"])
        tp += len(got & gold)
        fp += len(got - gold)
        fn += len(gold - got)
        if got != gold:
            errors.append((it["id"], sorted(got - gold), sorted(gold - got), it["text"]))
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, errors


def texts(shared: Path) -> list[str]:
    ds = shared / "datasets"
    out = []
    for name in ("derivations-dev", "quotes-dev", "wire-dev"):
        with (ds / name / "corpus.jsonl").open(encoding="utf-8") as f:
            out += [json.loads(line)["text"] for line in f if line.strip()]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    ap.add_argument("--only", default="")
    ap.add_argument("--errors", default="", help="print the errors of this splitter on the labelled set")
    a = ap.parse_args()
    items = load_fixture()
    print(f"labelled set: {len(items)} paragraphs, {sum(len(i['boundaries']) for i in items)} boundaries")
    sp = splitters()
    if a.only:
        sp = {k: v for k, v in sp.items() if k in a.only.split(",")}
    corpus = texts(a.shared) if (a.shared / "datasets").is_dir() else []
    print(f"timing corpus: {len(corpus)} texts, {sum(map(len, corpus)) / 1e6:.2f} M characters")
    rows = []
    for name, split in sp.items():
        p, r, f, errors = score(split, items)
        for t in corpus[:5]:
            split(t)
        t0 = time.process_time()
        for t in corpus:
            split(t)
        secs = time.process_time() - t0
        rows.append((name, p, r, f, secs))
        if name == a.errors:
            for eid, extra, missed, text in errors:
                print(f"-- {eid} false {[text[i:i + 25] for i in extra]} missed {[text[i:i + 25] for i in missed]}")
    base = next((s for n, *_, s in rows if n == "pysbd"), None)
    print("| splitter | P | R | F1 | seconds (CPU) | speed vs pysbd |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, p, r, f, secs in rows:
        ratio = f"{base / secs:.1f}x" if base and secs else "-"
        print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {secs:.2f} | {ratio} |")


if __name__ == "__main__":
    main()
