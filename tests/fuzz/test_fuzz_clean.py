"""Fuzzing the cleaners: scraped text (clean_text) and HTML (extract_html, visible_text)."""
from __future__ import annotations

from fuzz_checks import check_clean, examples
from fuzz_strategies import any_text, htmls, news_text, special_text, texts
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.clean.html import extract_html, visible_text
from wiretrace.clean.leftovers import clean_text, line_key


@given(texts, st.one_of(st.none(), news_text(max_paragraphs=1), any_text))
def test_clean_text(raw, title):
    res = clean_text(raw, title=title)
    check_clean(raw, res, title)


@given(st.lists(news_text(max_paragraphs=4), min_size=1, max_size=3), st.one_of(texts, special_text))
def test_clean_text_with_repeated_lines(others, raw):
    # lines seen in other articles of the corpus, as the pipeline passes them
    repeated = frozenset(k for o in others for k in map(line_key, o.splitlines()) if k)
    check_clean(raw, clean_text(raw, repeated))


@given(texts)
def test_line_key(line):
    k = line_key(line)
    assert k == k.strip() and "  " not in k


@examples(0.5)
@given(htmls, st.sampled_from([None, "https://www.reuters.com/world/x", "http://[::1", "example.com", "", "\x00"]))
def test_extract_html(html, url):
    text, meta = extract_html(html, url)
    assert isinstance(text, str) and isinstance(meta, dict)
    for par in text.split("\n\n") if text else []:
        assert par and par == par.strip(), par
    assert set(meta) <= {"title", "date", "author", "sitename", "url"}


@given(htmls)
def test_visible_text(html):
    out = visible_text(html)
    assert isinstance(out, str)
    for line in out.split("\n") if out else []:
        assert line and line == line.strip(), line
