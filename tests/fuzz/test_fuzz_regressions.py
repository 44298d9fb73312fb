"""Every crash the fuzzing found, as a plain regression test on its minimal input."""
from __future__ import annotations

from fuzz_checks import check_metadata, check_quotes

from wiretrace.clean.metadata import extract_metadata
from wiretrace.segment.quotes import extract_quotes


def test_quote_speaker_after_a_no_break_space():
    # issue 11's reproducer: IndexError in segment/quotes.py _np_speaker (parts[0] of an empty list)
    text = "The mayor spoke on Monday.\n\n\u201cWe will rebuild every road in this town,\u201d \u00a0 said Smith.\n"
    qs = extract_quotes(text)
    check_quotes(text, qs)
    assert [(q.text, q.speaker) for q in qs] == [("We will rebuild every road in this town,", "Smith")]


def test_quote_speaker_after_a_no_break_space_found_by_fuzzing():
    # the same crash as the fuzzer found it first (before the fix): the no-break space
    # alone between the closing mark and the verb
    text = ("WASHINGTON (The Daily Planet) - \u201cthe the the the,\u201d said Jane Smith. \u201cthe the the the the "
            "the the the,\u201d\u00a0said the report.")
    qs = extract_quotes(text)
    check_quotes(text, qs)
    assert [q.speaker for q in qs] == ["Jane Smith", "the report"]


def test_metadata_with_a_malformed_url():
    # ValueError("Invalid IPv6 URL") from urlsplit in clean/metadata.py _outlet
    for given, html_meta in (({"url": "http://[::1"}, None), ({"url": "["}, None),
                             ({}, {"url": "http://[::1", "sitename": "Reuters"})):
        meta = extract_metadata("WASHINGTON (Reuters) - Ministers met.", "WASHINGTON (Reuters) - Ministers met.",
                                given=given, html_meta=html_meta)
        check_metadata("WASHINGTON (Reuters) - Ministers met.", meta, given)
        assert meta["outlet"] == "Reuters"


def test_an_outlet_name_too_short_to_search_credits_nothing():
    # trace/credit.py: an outlet of one character or of spaces gave no name variant, and the
    # empty alternation matched every text, so every other article "credited" it
    from wiretrace.model import Article
    from wiretrace.trace.credit import credit_cue
    target = Article(id="t", text="Ministers met on Monday.")
    for outlet in ("X", "\u00a0", " ", "-"):
        assert credit_cue(target, Article(id="s", text="x", outlet=outlet)) is None, outlet
    assert credit_cue(Article(id="t", text="Ministers met, X reported."), Article(id="s", text="x", outlet="Reuters")) is None


def test_issue_11_reproducer_through_the_per_document_stage():
    # the file of the issue, as `wiretrace analyze nbsp.txt` reads it
    from wiretrace.model import RawDoc
    from wiretrace.pipeline import Options, process_document
    raw = "The mayor spoke on Monday.\n\n\u201cWe will rebuild every road in this town,\u201d \u00a0 said Smith.\n"
    for engine in ("pysbd", "syntok"):
        r = process_document(RawDoc(id="nbsp", text=raw, origin="nbsp.txt"), frozenset(), Options(sentences=engine))
        assert [(q["text"], q["speaker"]) for q in r["quotes"]] == [("We will rebuild every road in this town,", "Smith")]
        assert "\u00a0" in r["text"]            # the body is kept as written


def test_single_quoted_stretch_is_trimmed():
    # found by the long fuzz run: a ‘…’ quote kept the space before its closing mark
    text = "‘0 0 b ’.according to"
    (q,) = extract_quotes(text)
    check_quotes(text, [q])
    assert q.text == "0 0 b" and (q.start, q.end) == (1, 6)
    # spaces inside the marks: trimmed, and the cue read past the closing mark, as without them
    for text in ("He spoke. ‘ We will rebuild every road ’, she said.",
                 "He spoke. “ We will rebuild every road ”, she said.",      # (lost its speaker before)
                 "He spoke. “We will rebuild every road”, she said."):
        (q,) = extract_quotes(text)
        check_quotes(text, [q])
        assert (q.text, q.speaker, q.cue) == ("We will rebuild every road", "she", "said"), text
