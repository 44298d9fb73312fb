"""A page typeset with Unicode spaces (no-break, thin, ideographic ...) reads like
the same page with plain spaces: the same body, sentences, quotes and speakers,
dateline, bylines, credits, cited sources and date (issue 11: real crawls are
full of U+00A0, and the heuristics are written with " ")."""
from __future__ import annotations

from fuzz_checks import check_clean, check_quotes, examples
from fuzz_strategies import news_text
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.clean.leftovers import clean_text
from wiretrace.clean.metadata import extract_metadata
from wiretrace.clean.spaces import SPACE_SEPARATORS, plain_spaces
from wiretrace.segment.quotes import extract_quotes
from wiretrace.segment.sentences import split_sentences


def _plain(x):
    """``x`` (nested lists/dicts/strings) with Unicode spaces as " "."""
    if isinstance(x, str):
        return plain_spaces(x)
    if hasattr(x, "to_dict"):
        return _plain(x.to_dict())
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    return x


@examples(0.6)
@given(news_text(min_paragraphs=2), st.sampled_from(SPACE_SEPARATORS), st.sampled_from([1.0, 0.5]))
def test_unicode_spaces_read_as_spaces(text, sp, share):
    spaces = [i for i, c in enumerate(text) if c == " "]
    chosen = set(spaces if share == 1.0 else spaces[::2])
    typeset = "".join(sp if i in chosen else c for i, c in enumerate(text))

    a, b = clean_text(text), clean_text(typeset)
    check_clean(typeset, b)
    # (the news text may hold Unicode spaces of its own: compare both as plain)
    assert _plain([b.text, b.removed, b.title]) == _plain([a.text, a.removed, a.title])

    for engine in ("pysbd", "syntok"):
        assert split_sentences(b.text, engine) == split_sentences(a.text, engine)

    qa, qb = extract_quotes(a.text), extract_quotes(b.text)
    check_quotes(b.text, qb)
    assert [(q.start, q.end, _plain(q.speaker), q.cue) for q in qa] == \
        [(q.start, q.end, _plain(q.speaker), q.cue) for q in qb]

    ma = extract_metadata(text, a.text, given={}, meta_lines=a.meta_lines)
    mb = extract_metadata(typeset, b.text, given={}, meta_lines=b.meta_lines)
    assert _plain(mb) == _plain(ma)
    for c in mb["cited_sources"]:
        assert b.text[c.start:c.end] == c.cue
