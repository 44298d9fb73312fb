"""Fuzzing the per-article signals (one article, no corpus)."""
from __future__ import annotations

import json

from fuzz_checks import examples
from fuzz_strategies import news_text, texts
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.framing.signals import article_signals, common_words, signal_doc
from wiretrace.model import Article
from wiretrace.segment.quotes import extract_quotes
from wiretrace.segment.sentences import split_sentences


@examples(0.6)
@given(st.one_of(texts, news_text(min_paragraphs=3, max_paragraphs=10)), st.booleans())
def test_article_signals(text, with_segments):
    a = Article(id="a", text=text)
    if with_segments:
        a.sentences = split_sentences(text, "syntok")
        a.quotes = extract_quotes(text, a.sentences)
    doc = signal_doc(a)
    sig = article_signals(a, doc, common_words([text]), [], [])
    assert 0.0 <= sig.patchwork <= 1.0
    for k, v in sig.patchwork_evidence.components.items():
        assert 0.0 <= v <= 1.0, (k, v)
    for o in sig.orphan_evidence:
        assert 0 <= o.start < o.end <= len(text), o
        assert o.phrase == text[o.start:o.end] or o.phrase in text, o
    assert 0.0 <= sig.uncredited_copy.share <= 1.0
    json.dumps(sig.to_dict(), ensure_ascii=False)
