"""Fuzzing reuse units and keys (shingles, alignment units) and alignment on pairs."""
from __future__ import annotations

import numpy as np
from fuzz_checks import check_spans, examples
from fuzz_strategies import garbage_field, pairs, texts
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.reuse import align as al
from wiretrace.reuse.shingles import (
    normalized_joined,
    shingle_hashes,
    text_shingle_hashes,
    tokenize,
)
from wiretrace.segment.sentences import split_sentences


@given(texts)
def test_tokenize_and_shingles(text):
    toks, spans = tokenize(text)
    assert len(toks) == len(spans)
    check_spans(spans, len(text), what="token")
    assert all(t and " " not in t for t in toks)
    # documented: the fast path gives the same tokens and hashes as the span-giving one
    assert normalized_joined(text) == " ".join(toks).encode("utf-8", "surrogatepass")
    for n in (1, 5):
        assert np.array_equal(text_shingle_hashes(text, n), shingle_hashes(toks, n))


@given(texts, st.booleans())
def test_units_and_keys(text, with_sentences):
    sents = split_sentences(text, "syntok") if with_sentences else None
    units = al.split_units(text, sents)
    check_spans(units, len(text), what="unit")
    for s, e in units:
        assert text[s:e] == text[s:e].strip(), text[s:e]
    ku, keys = al.unit_keys(text, sents)
    assert ku == units and len(keys) == len(units)
    doc = al.prepare(text, sents)
    assert doc.units == units and len(doc.unit_tok) == len(units)
    assert len(doc.quoted) == len(doc.toks)
    prev = 0
    for a, b in doc.unit_tok:
        assert prev <= a <= b <= len(doc.toks)
        prev = b
    closed, left_open = al.quote_spans(text)
    check_spans(sorted(closed + left_open), len(text), what="quote span", disjoint=False)
    # the fast path (tokens per unit) and the span path give the same tokens per unit
    slow = al._segment(text, sents, al._tokenize_default)
    fast = al._segment(text, sents, None)
    tok_of = lambda seg: [seg[0][a:b] for a, b in seg[3]]
    assert tok_of(fast) == tok_of(slow)


def check_passages(passages, src: str, tgt: str) -> None:
    for p in passages:
        assert 0 <= p.source_start < p.source_end <= len(src), p
        assert 0 <= p.target_start < p.target_end <= len(tgt), p
        assert p.kind in ("verbatim", "rewritten"), p
    check_spans([(p.target_start, p.target_end) for p in passages], len(tgt), what="passage target")


@examples(0.6)
@given(pairs, st.booleans())
def test_align_pair(pair, with_sentences):
    src, tgt = pair
    ss = split_sentences(src, "syntok") if with_sentences else None
    ts = split_sentences(tgt, "syntok") if with_sentences else None
    check_passages(al.align_pair(src, tgt, ss, ts), src, tgt)
    check_passages(al.align_pair(tgt, src, ts, ss), tgt, src)


_OUTLET = st.one_of(st.sampled_from(["Reuters", "Daily Planet", "AP", "The Hill", "X"]), garbage_field)


@examples(0.4)
@given(pair=pairs, dates=st.sampled_from([(None, None), ("2021-05-04T08:00:00Z", "2021-05-04T12:00:00Z"),
                                          ("2021-05-04", "2021-05-04"), ("garbage", "9999-99-99"),
                                          ("2021-05-04T12:00:00+05:00", "2021-05-04T08:00:00")]),
       outlets=st.tuples(_OUTLET, _OUTLET))
def test_find_derivations_on_a_pair(pair, dates, outlets):
    """The pair-alignment entry the tracer uses, on two articles built as the
    pipeline builds them (sentences and quotes from the per-document stage)."""
    from wiretrace.model import Article
    from wiretrace.segment.quotes import extract_quotes
    from wiretrace.trace.derive import find_derivations

    arts = []
    for aid, text, pub, outlet in (("s", pair[0], dates[0], outlets[0]), ("t", pair[1], dates[1], outlets[1])):
        sents = split_sentences(text, "syntok")
        arts.append(Article(id=aid, text=text, published=pub, outlet=outlet, sentences=sents,
                            quotes=extract_quotes(text, sents)))
    texts_ = {a.id: a.text for a in arts}
    ders = find_derivations(arts)
    for d in ders:
        assert {d.source, d.target} == {"s", "t"} and d.source != d.target
        assert d.kind in ("wholly", "partially") and isinstance(d.credited, bool)
        assert 0.0 <= d.share <= 1.0, d.share
        check_passages(d.passages, texts_[d.source], texts_[d.target])
    # the per-article signals over what the pair gave
    from wiretrace.framing.signals import compute_signals
    from wiretrace.model import Story
    sig = compute_signals(arts, ders, [Story("s1", ["s", "t"])])
    for a in arts:
        assert 0.0 <= sig[a.id].patchwork <= 1.0
        assert 0.0 <= sig[a.id].uncredited_copy.share <= 1.0
