"""Per-article signals on hand-written texts: patchwork, orphan references and the extras."""
import json
from pathlib import Path

import pytest

from wiretrace.framing.signals import compute_signals
from wiretrace.model import Article, Derivation, Passage, Quote, Story
from wiretrace.segment.sentences import split_sentences

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "framing"


def _art(aid, text):
    return Article(id=aid, text=text, sentences=split_sentences(text))


@pytest.fixture(scope="module")
def texts():
    return json.loads((FIX / "signals_texts.json").read_text("utf-8"))["articles"]


@pytest.fixture(scope="module")
def sig(texts):
    arts = [_art(k, t) for k, t in texts.items()]
    return compute_signals(arts, [], [])


def test_contract_keys_and_ranges(sig):
    for aid, s in sig.items():
        assert 0.0 <= s.patchwork <= 1.0
        assert isinstance(s.orphan_references, list)
        assert set(s.patchwork_evidence.components) == {"sources", "cohesion", "style", "orphans",
                                                             "single_sentence_paragraphs"}
        for k in ("uncredited_copy", "quote_alterations", "loaded_language"):
            assert k in s.to_dict()
        json.dumps(s.to_dict())


def test_patchwork_high_for_stitched_low_for_coherent(sig):
    assert sig["stitched"].patchwork >= 0.5
    assert sig["coherent"].patchwork <= 0.1
    assert sig["introduced"].patchwork < sig["stitched"].patchwork
    ev = sig["stitched"].patchwork_evidence
    kinds = {c.kind for c in ev.style_clashes}
    assert {"country_abbreviation", "acronym_case", "honorific_then_title"} <= kinds
    assert ev.topic_jumps.rate > sig["coherent"].patchwork_evidence.topic_jumps.rate
    assert sig["coherent"].patchwork_evidence.style_clashes == []   # "OSLO" dateline is no clash


def test_orphan_references_found(sig, texts):
    orphans = sig["stitched"].orphan_references
    for phrase in ("the diplomat", "Veldt", "among them", "Mr Hale", "That"):
        assert phrase in orphans
    t = texts["stitched"]
    for o in sig["stitched"].orphan_evidence:
        assert t[o.start:o.end] == o.phrase


def test_introduced_references_not_flagged(sig):
    assert sig["introduced"].orphan_references == []
    assert sig["coherent"].orphan_references == []


def test_two_countries_need_a_named_pair():
    a = _art("x", "Talks resumed in Geneva on Monday. The two countries agreed to extend the ceasefire.")
    b = _art("y", "Norway and Sweden resumed talks in Geneva on Monday. The two countries agreed to extend the ceasefire.")
    s = compute_signals([a, b], [], [])
    assert s["x"].orphan_references == ["The two countries"]
    assert s["y"].orphan_references == []


def test_a_wire_take_goes_on_from_the_take_before():
    """A continuation take names who the take before introduced ("Mr Ashcombe", "the
    judge"): no orphan when the outlet's own other text of the story introduces them;
    an orphan still in a text of another outlet, an aggregator's page, or with no outlet."""
    take1 = ("A banker was jailed for six years today for a fraud that cost savers millions. "
             "Judge Ruth Amber told Graham Ashcombe, 58, that he had betrayed his customers.")
    take2 = ("During the afternoon session Mr Ashcombe said he had acted alone. "
             "The judge said the savers had lost their homes.")

    def run(outlets, story=("t1", "t2")):
        arts = [Article(id=i, text=t, sentences=split_sentences(t), outlet=o)
                for i, t, o in (("t1", take1, outlets[0]), ("t2", take2, outlets[1]))]
        return compute_signals(arts, [], [Story("s", list(story))])["t2"].orphan_references

    assert run(("Press Association", "press association")) == []           # one outlet, two names
    assert run(("Press Association", "Daily Mirror")) == ["Mr Ashcombe", "The judge"]
    assert run(("MSN", "MSN")) == ["Mr Ashcombe", "The judge"]            # an aggregator carries others' text
    assert run((None, None)) == ["Mr Ashcombe", "The judge"]
    assert run(("Press Association", "Press Association"), story=("t2",)) == ["Mr Ashcombe", "The judge"]
    # the take's own later introduction does not count (a lifted passage placed first)
    late = Article(id="t3", text=take2 + " Graham Ashcombe was led away.", outlet="Press Association",
                   sentences=split_sentences(take2 + " Graham Ashcombe was led away."))
    assert compute_signals([late], [], [Story("s", ["t3"])])["t3"].orphan_references == ["Mr Ashcombe", "The judge"]


def test_sources_component_and_uncredited_copy():
    paras = [f"Sentence {w} about the harbour works goes on for a while here." for w in "abcdef"]
    text = "\n\n".join(paras)
    a = _art("t", text)
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"[^\n]+", text)]
    ders = [Derivation(src, "t", "partially", credited, 0.33,
                       [Passage(0, 10, spans[i][0], spans[i][1]), Passage(0, 10, spans[i + 1][0], spans[i + 1][1])])
            for i, (src, credited) in zip((0, 2, 4), (("s1", False), ("s2", False), ("s3", True)))]
    one = compute_signals([a], ders[:1], [])["t"]
    three = compute_signals([a], ders, [])["t"]
    assert one.patchwork_evidence.sources.score == 0.0
    assert three.patchwork_evidence.sources.count == 3
    assert three.patchwork_evidence.sources.score > 0.9
    assert three.patchwork > one.patchwork + 0.3
    unc = three.uncredited_copy
    assert {s.article for s in unc.sources} == {"s1", "s2"}
    assert 0.5 < unc.share < 0.75


def test_quote_alterations_against_story_articles():
    q1 = "We will keep the harbour open to every ship that needs shelter from the storm"
    q2 = "We will keep the harbour open to any vessel that needs shelter from the storm"
    t1 = f"The harbour master spoke on Monday. “{q1},” she said."
    t2 = f"The harbour master spoke on Monday. “{q2},” she said."
    t3 = f"The harbour master spoke on Monday. “{q1} [in the bay],” she said."
    arts = []
    for aid, t, q in (("a", t1, q1), ("b", t2, q2), ("c", t3, q1 + " [in the bay]")):
        s = t.index(q)
        arts.append(Article(id=aid, text=t, sentences=split_sentences(t),
                            quotes=[Quote(q, s, s + len(q), "she", "said")]))
    s = compute_signals(arts, [], [Story("s", ["a", "b", "c"])])
    assert s["b"].quote_alterations.count == 1
    ch = s["b"].quote_alterations.evidence[0].changes
    assert any("every ship -> any vessel" in c for c in ch)
    assert s["b"].quote_alterations.evidence[0].other_article in ("a", "c")
    # a quote whose closest counterpart has the same words is not altered;
    # an editor's bracketed gloss ("[in the bay]") is not an alteration either
    assert s["a"].quote_alterations.count == 0
    assert s["c"].quote_alterations.count == 0


def test_loaded_language_counts_own_voice_only():
    t = 'Officials said the regime jailed the rioters. "These thugs will pay," a minister said.'
    s = t.index("These")
    a = Article(id="a", text=t, sentences=split_sentences(t), quotes=[Quote("These thugs will pay,", s, s + 21)])
    ll = compute_signals([a], [], [])["a"].loaded_language
    terms = {x.term for x in ll.terms}
    assert terms == {"regime", "rioters"}


# -- the split used by the Spark engine: corpus part + per-article part ---------------

def test_split_pieces_give_compute_signals(texts):
    """``common_words`` keeps only the words some article looks up: the per-article
    part with the whole lower-case vocabulary gives the same signals."""
    import re

    from wiretrace.framing import signals as sg
    from wiretrace.framing.text import content_set, prepare

    arts = [_art(k, t) for k, t in texts.items()]
    whole = compute_signals(arts, [], [])
    vocab = {w for a in arts for w in re.findall(r"\b[a-z]{3,}\b", a.text)}
    assert sg.common_words(a.text for a in arts) <= vocab
    for a in arts:
        assert sg.article_signals(a, sg.signal_doc(a), vocab, [], []) == whole[a.id]
        # the faster sentence words are text.content_set's
        full = prepare(a)
        assert [s.words for s in sg.signal_doc(a).sents] == [s.words for s in full.sents]
        assert all(content_set(a.text, s.start, s.end) == s.words for s in sg.signal_doc(a).sents)
