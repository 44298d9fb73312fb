"""Fuzzing metadata: extract_metadata and the meta_* helpers it uses."""
from __future__ import annotations

from fuzz_checks import check_cited, check_iso, check_metadata, examples
from fuzz_strategies import (
    DATE,
    any_text,
    byline,
    credit,
    dateline,
    garbage_field,
    name,
    news_text,
    relative_date,
    special_text,
    splice,
    texts,
)
from hypothesis import given
from hypothesis import strategies as st

from wiretrace.clean.leftovers import clean_text
from wiretrace.clean.meta_credits import find_credits
from wiretrace.clean.meta_dateline import find_dateline
from wiretrace.clean.meta_dates import date_in_line, find_dates, parse_date
from wiretrace.clean.meta_names import (
    looks_like_org,
    looks_like_person,
    split_names,
    strip_role,
)
from wiretrace.clean.meta_sources import find_cited_sources
from wiretrace.clean.metadata import extract_metadata

date_text = st.one_of(st.sampled_from(DATE), relative_date, relative_date.map(lambda r: "Updated " + r), st.sampled_from(DATE).flatmap(splice), any_text, special_text,
                      st.builds(lambda a, b: a + " " + b, st.sampled_from(DATE), texts))
line_text = st.one_of(byline, credit, dateline, name, st.sampled_from(DATE), byline.flatmap(splice),
                      credit.flatmap(splice), dateline.flatmap(splice), any_text, special_text)


@given(st.one_of(texts, date_text))
def test_find_dates(text):
    hits = find_dates(text)
    prev = 0
    for h in hits:
        assert prev <= h.start < h.end <= len(text), (h, text)
        prev = h.end
        check_iso(h.iso)


@given(date_text, st.one_of(st.none(), date_text))
def test_parse_date_and_date_line(text, reference):
    check_iso(parse_date(text, reference))
    r = date_in_line(text, reference)
    if r is not None:
        check_iso(r[0])
        assert isinstance(r[1], bool)


@given(st.one_of(texts, st.builds(lambda d, t: d + t, dateline, texts), dateline.flatmap(splice)))
def test_find_dateline(body):
    d = find_dateline(body)
    if d is not None:
        assert 0 <= d["start"] < d["end"] <= len(body), d
        assert d["place"] and isinstance(d["place"], str)


@given(st.lists(line_text, max_size=6))
def test_find_credits(lines):
    for c in find_credits(lines):
        assert c.role and c.names and all(n.strip() for n in c.names), c


@given(line_text)
def test_names(s):
    for n in split_names(s):
        assert isinstance(n, str) and n
    assert isinstance(strip_role(s), str)
    assert isinstance(looks_like_person(s), bool) and isinstance(looks_like_org(s), bool)


@given(st.one_of(texts, st.lists(st.one_of(st.sampled_from(["x"]), news_text(max_paragraphs=2))).map(" ".join)))
def test_find_cited_sources(body):
    check_cited(body, find_cited_sources(body))


@examples(0.6)
@given(raw=texts,
       given_=st.fixed_dictionaries({}, optional={
           "url": garbage_field, "outlet": garbage_field, "published": garbage_field, "title": garbage_field,
           "authors": st.one_of(st.none(), st.lists(any_text, max_size=3), any_text),
           "reference_date": garbage_field, "fetched": garbage_field}),
       html_meta=st.one_of(st.none(), st.fixed_dictionaries(
           {k: garbage_field for k in ("title", "date", "author", "sitename", "url")})))
def test_extract_metadata(raw, given_, html_meta):
    res = clean_text(raw, title=given_.get("title"))
    meta = extract_metadata(raw, res.text, given=given_, meta_lines=res.meta_lines, html_meta=html_meta)
    check_metadata(res.text, meta, given_)
