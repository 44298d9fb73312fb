"""The contract's invariants, checked on what the per-document functions return."""
from __future__ import annotations

import re
from collections import Counter
from datetime import datetime

from hypothesis import settings

# what the line cleaner removes from inside a line (clean/leftovers.py _INVISIBLE)
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
_WS = re.compile(r"\s+")


def examples(share: float) -> settings:
    """The loaded profile with ``share`` of its examples (for the costlier tests)."""
    return settings(max_examples=max(10, int(settings.default.max_examples * share)))


def compact(s: str) -> str:
    """``s`` without whitespace and the characters the cleaner drops inside lines."""
    return _WS.sub("", _INVISIBLE.sub("", s))


def check_spans(spans, n: int, *, what: str, ordered: bool = True, disjoint: bool = True) -> None:
    prev_end = 0
    prev_start = -1
    for s, e in spans:
        assert isinstance(s, int) and isinstance(e, int), (what, s, e)
        assert 0 <= s < e <= n, (what, s, e, n)
        if ordered:
            assert s >= prev_start, (what, "not in order", spans)
        if disjoint:
            assert s >= prev_end, (what, "overlap", spans)
        prev_start, prev_end = s, e


def check_sentences(text: str, sentences) -> None:
    """Sorted, non-overlapping, non-empty, inside the text, stripped, within a paragraph."""
    check_spans(sentences, len(text), what="sentence")
    for s, e in sentences:
        piece = text[s:e]
        assert piece == piece.strip(), ("sentence not stripped", piece)
        assert "\n" not in piece, ("sentence across paragraphs", piece)


def check_quotes(text: str, quotes) -> None:
    """Inside the article, in order, ``text[start:end] == quote.text`` (the contract:
    "quoted words without the marks"), trimmed, with a speaker that holds a letter."""
    check_spans([(q.start, q.end) for q in quotes], len(text), what="quote", disjoint=False)
    for q in quotes:
        assert text[q.start:q.end] == q.text, (q, text[q.start:q.end])
        assert q.text == q.text.strip(), ("quote not trimmed", q)
        if q.speaker is not None:
            assert isinstance(q.speaker, str) and q.speaker.strip(), q
            assert re.search(r"[^\W\d_]", q.speaker), ("speaker without a letter", q)
        assert q.cue is None or isinstance(q.cue, str)


def check_iso(value) -> None:
    if value is None:
        return
    assert isinstance(value, str)
    datetime.fromisoformat(value)


def check_metadata(body: str, meta: dict, given: dict | None = None) -> None:
    given = given or {}
    meta = {k: ([x.to_dict() for x in v] if k in ("credits", "cited_sources") else
                v.to_dict() if k in ("dateline", "outlet_source") and v is not None else v)
            for k, v in meta.items()}              # the model's objects in their stored form
    assert set(meta) >= {"published", "authors", "dateline", "credits", "cited_sources", "outlet", "title"}
    if not given.get("published"):
        check_iso(meta["published"])
    assert isinstance(meta["authors"], list)
    if not given.get("authors"):            # given authors are passed through as given
        assert all(isinstance(a, str) and a.strip() for a in meta["authors"]), meta
    d = meta["dateline"]
    if d is not None:
        assert 0 <= d["start"] < d["end"] <= len(body), d
        assert isinstance(d["place"], str) and d["place"], d
        assert body[d["start"]:d["end"]].strip(), d
    for c in meta["credits"]:
        assert isinstance(c["role"], str) and c["role"]
        assert c["names"] and all(isinstance(n, str) and n.strip() for n in c["names"]), c
    check_cited(body, meta["cited_sources"])
    assert meta["outlet"] is None or isinstance(meta["outlet"], str)


def check_cited(body: str, cited) -> None:
    check_spans([(c["start"], c["end"]) for c in cited], len(body), what="cited source")
    for c in cited:
        assert body[c["start"]:c["end"]] == c["cue"], c
        assert isinstance(c["name"], str) and c["name"].strip(), c


def check_clean(raw: str, res, title: str | None = None) -> None:
    """The cleaned body is made of the input's lines, in order, nothing invented:
    each paragraph, spaces and invisible characters aside, is a stretch of the
    input; every input line is either in the body or listed as removed."""
    body = res.text
    assert isinstance(body, str)
    pars = body.split("\n\n") if body else []
    craw = compact(raw)
    pos = 0
    for p in pars:
        assert p and p == p.strip(), ("empty or unstripped paragraph", p)
        cp = compact(p)
        assert cp, ("paragraph of nothing but spaces/invisible characters", p)
        at = craw.find(cp, pos)
        assert at >= 0, ("paragraph not found in the input, in order", p)
        pos = at + len(cp)
    lines = Counter(raw.splitlines())
    removed = Counter(res.removed)
    assert not removed - lines, ("removed a line that is not in the input", removed - lines)
    cbody = compact(body)
    for ln in raw.splitlines():
        if compact(ln) and removed[ln] == 0:
            assert compact(ln) in cbody, ("a line neither kept nor listed as removed", ln)
    for m in res.meta_lines:
        assert m in lines, m
    if res.title is not None and title is None:
        assert compact(res.title) in craw, res.title
