"""Fuzzing sentence splitting (both splitters) and quote extraction."""
from __future__ import annotations

import pytest
from fuzz_checks import check_quotes, check_sentences, check_spans, examples
from fuzz_strategies import news_text, quote_marks_only, texts
from hypothesis import example, given
from hypothesis import strategies as st

from wiretrace.segment.quotes import extract_quotes
from wiretrace.segment.sentences import split_sentences


@pytest.mark.parametrize("engine", ["pysbd", "syntok"])
@given(text=texts)
def test_split_sentences(engine, text):
    check_sentences(text, split_sentences(text, engine))


# issue 11: a no-break space where the speaker would be (IndexError in _np_speaker)
@example(text="The mayor spoke on Monday.\n\n\u201cWe will rebuild every road in this town,\u201d \u00a0 said Smith.\n")
@example(text="‘0 0 b ’.according to")       # found by fuzzing: the single-quoted stretch was not trimmed
@given(text=st.one_of(texts, news_text(min_paragraphs=2), quote_marks_only))
def test_extract_quotes(text):
    quotes = extract_quotes(text)
    check_quotes(text, quotes)
    # one reader of quote marks: every quote is one of the text's quoted stretches
    from wiretrace.segment.quotes import quoted_stretches
    stretches = quoted_stretches(text)
    check_spans(stretches, len(text), what="quoted stretch", disjoint=False)
    assert {(q.start, q.end) for q in quotes} <= set(stretches)


@examples(0.5)
@given(text=st.one_of(texts, news_text(min_paragraphs=2)), engine=st.sampled_from(["pysbd", "syntok"]))
def test_extract_quotes_with_sentences(text, engine):
    # as the pipeline calls it: with the splitter's sentences
    sentences = split_sentences(text, engine)
    check_sentences(text, sentences)
    check_quotes(text, extract_quotes(text, sentences))


def test_nbsp_where_the_speaker_would_be():
    """Issue 11's reproducer: the quote is found and its speaker read past the no-break space."""
    text = "The mayor spoke on Monday.\n\n\u201cWe will rebuild every road in this town,\u201d \u00a0 said Smith.\n"
    (q,) = extract_quotes(text)
    assert q.text == "We will rebuild every road in this town," and q.speaker == "Smith" and q.cue == "said"
    # every Unicode space in that place, and a zero-width one
    for sp in "\u00a0\u2000\u2003\u2009\u200a\u202f\u205f\u3000\u1680":
        (q,) = extract_quotes(text.replace("\u00a0", sp))
        assert q.speaker == "Smith", (hex(ord(sp)), q)


@given(st.text(alphabet=st.sampled_from(" \u00a0\t\n()ab,"), max_size=60))
def test_paren_pattern_matches_as_before(s):
    """The parenthesis pattern was made linear on long runs of spaces (a lookbehind,
    see quotes.py); it removes exactly what the old pattern did."""
    import re

    from wiretrace.segment import quotes as Q
    assert Q._PAREN.sub("", s) == re.sub(r"\s*\([^)]*\)", "", s)
