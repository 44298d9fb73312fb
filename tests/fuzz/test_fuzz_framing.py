"""Fuzzing the framing code: per-sentence actors and lexicon terms of one article,
and framing (added / omitted / terms / actor changes) on a pair of articles."""
from __future__ import annotations

import json

from fuzz_checks import check_spans, examples
from fuzz_strategies import news_text, pairs, texts
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.framing.actors import subject
from wiretrace.framing.terms import find_terms, load_lexicon
from wiretrace.model import Article, Story
from wiretrace.segment.quotes import extract_quotes
from wiretrace.segment.sentences import split_sentences


@given(st.one_of(texts, news_text(min_paragraphs=2)))
def test_subjects_and_terms(text):
    for s, e in split_sentences(text, "syntok"):
        r = subject(text, s, e)
        if r is not None:
            actor, a, b = r
            assert s <= a <= b <= e, (r, s, e)
            assert text[a:b] == actor, (r, text[a:b])
    terms = [t for c in load_lexicon() for t in c.terms][:400]
    found = find_terms(text, terms)
    spans = sorted(sp for v in found.values() for sp in v)
    check_spans(spans, len(text), what="term")


@examples(0.4)
@given(pairs)
def test_compare_framing_on_a_pair(pair):
    from wiretrace.framing.compare import compare_framing
    from wiretrace.trace.derive import find_derivations

    arts = []
    for aid, text, pub in (("s", pair[0], "2021-05-04T08:00:00Z"), ("t", pair[1], "2021-05-04T12:00:00Z")):
        sents = split_sentences(text, "syntok")
        arts.append(Article(id=aid, text=text, published=pub, sentences=sents, quotes=extract_quotes(text, sents)))
    by_id = {a.id: a for a in arts}
    ders = find_derivations(arts)
    for entry in compare_framing(arts, [Story("s1", ["s", "t"], origin="s")], ders):
        n = len(by_id[entry.article].text)
        check_spans([tuple(x) for x in entry.added], n, what="added")
        for o in entry.omitted:
            assert 0 <= o.start < o.end <= len(by_id[o.article].text), o
        for c in entry.actor_changes:
            assert 0 <= c.target_start <= c.target_end <= n, c
        for t in entry.terms:
            assert t.count >= 1, t
        json.dumps(entry.to_dict(), ensure_ascii=False)
