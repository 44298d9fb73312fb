"""Fuzzing the whole per-document stage: pipeline.process_document on a RawDoc."""
from __future__ import annotations

import json

from fuzz_checks import check_cited, check_iso, check_quotes, check_sentences, examples
from fuzz_strategies import garbage_field, htmls, news_text, texts
from hypothesis import example, given
from hypothesis import strategies as st

from wiretrace.clean.leftovers import line_key
from wiretrace.model import Quote, RawDoc
from wiretrace.pipeline import Options, process_document


def _check_result(r: dict, doc: RawDoc) -> None:
    text = r["text"]
    assert isinstance(text, str)
    check_sentences(text, [tuple(s) for s in r["sentences"]])
    check_quotes(text, [Quote.from_dict(q) for q in r["quotes"]])
    check_cited(text, r["cited_sources"])
    d = r["dateline"]
    if d is not None:
        assert 0 <= d["start"] < d["end"] <= len(text), d
    if not doc.published:
        check_iso(r["published"])
    assert isinstance(r["removed"], list) and all(isinstance(x, str) for x in r["removed"])
    json.dumps(r, ensure_ascii=False)       # what the store and analysis.json hold


fields = {"url": garbage_field, "outlet": garbage_field, "published": garbage_field, "title": garbage_field}


@examples(0.5)
@example(text="", engine="pysbd", repeated=[], extra={"url": "["})       # found by fuzzing: ValueError in _outlet
@given(text=texts, engine=st.sampled_from(["pysbd", "syntok"]), repeated=st.lists(news_text(max_paragraphs=3), max_size=2),
       extra=st.fixed_dictionaries({}, optional=fields))
def test_process_text_document(text, engine, repeated, extra):
    doc = RawDoc(id="a", text=text, kind="text", **extra)
    rep = frozenset(k for o in repeated for k in map(line_key, o.splitlines()) if k)
    _check_result(process_document(doc, rep, Options(sentences=engine)), doc)


@examples(0.4)
@example(html="", engine="pysbd", extra={"url": "["})
@given(html=htmls, engine=st.sampled_from(["pysbd", "syntok"]), extra=st.fixed_dictionaries({}, optional=fields))
def test_process_html_document(html, engine, extra):
    doc = RawDoc(id="a", html=html, kind="html", **extra)
    _check_result(process_document(doc, frozenset(), Options(sentences=engine)), doc)
