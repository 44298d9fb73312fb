"""compare_framing on a hand-written story: a wire origin, a retelling with other
words, another actor and an added sentence, and a retelling that only restyles."""
import json
from pathlib import Path

import pytest

from wiretrace.framing.compare import compare_framing
from wiretrace.model import Article, Derivation, Passage, Story
from wiretrace.segment.sentences import split_sentences

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "framing"


def _articles():
    texts = json.loads((FIX / "smuggling_story.json").read_text("utf-8"))["articles"]
    return {k: Article(id=k, text=t, sentences=split_sentences(t)) for k, t in texts.items()}


def _passage(src: Article, tgt: Article, s_snip: str, t_snip: str, kind="rewritten") -> Passage:
    s = src.text.index(s_snip)
    t = tgt.text.index(t_snip)
    # widen to the enclosing sentences, as the aligner does
    ss = next(x for x in src.sentences if x[0] <= s < x[1])
    ts = next(x for x in tgt.sentences if x[0] <= t < x[1])
    return Passage(ss[0], ss[1], ts[0], ts[1], kind)


@pytest.fixture(scope="module")
def framing():
    arts = _articles()
    w1, r1, r2 = arts["w1"], arts["r1"], arts["r2"]
    d1 = Derivation("w1", "r1", "partially", True, 0.5, [
        _passage(w1, r1, "The remarks by Colonel", "The remarks by Colonel"),
        _passage(w1, r1, "“We will keep", "“We will keep", "verbatim"),
        _passage(w1, r1, "The mission estimates", "The mission estimates"),
    ])
    d2 = Derivation("w1", "r2", "wholly", False, 0.9, [
        _passage(w1, r2, "Despite warning", "The UN-led mission"),
        _passage(w1, r2, "The remarks by Colonel", "The remarks by Col."),
        _passage(w1, r2, "“We will keep", "“We will keep", "verbatim"),
        _passage(w1, r2, "The mission estimates", "The mission estimates", "verbatim"),
    ])
    stories = [Story("s1", ["w1", "r1", "r2"], origin="w1"), Story("s2", ["lonely"])]
    out = compare_framing(list(arts.values()), stories, [d1, d2])
    return arts, {f.article: f for f in out}


def test_one_entry_per_article_of_multi_article_stories(framing):
    arts, by = framing
    assert set(by) == {"w1", "r1", "r2"}
    for f in by.values():
        assert f.story == "s1"
        for k in ("added", "omitted", "terms", "actor_changes"):
            assert isinstance(getattr(f, k), list)


def test_added_span_is_the_new_sentence_only(framing):
    arts, by = framing
    r1 = arts["r1"]
    added = [r1.text[s:e] for s, e in by["r1"].added]
    assert len(added) == 1
    assert added[0].startswith("Critics say the Kestrel Guard")
    # the rewritten lead is carried (actor change), the shared quote is not an addition
    assert not any("does not intend" in a for a in added)
    assert not any("We will keep talking" in a for a in added)
    assert by["r2"].added == []


def test_omitted_are_the_origin_sentences_left_out(framing):
    arts, by = framing
    w1 = arts["w1"]
    omitted = [w1.text[o.start:o.end] for o in by["r1"].omitted]
    assert all(o.article == "w1" for o in by["r1"].omitted)
    joined = " | ".join(omitted)
    assert "too few and too poorly equipped" in joined
    assert "Farmers in the region" in joined
    assert "The remarks by Colonel" not in joined
    assert "fewer than 300" not in joined
    assert by["w1"].omitted == []
    # r2 left out the two background sentences only
    om2 = " | ".join(w1.text[o.start:o.end] for o in by["r2"].omitted)
    assert "Farmers in the region" in om2 and "Despite warning" not in om2


def test_adjacent_omitted_sentences_are_merged(framing):
    arts, by = framing
    w1 = arts["w1"]
    # "Mission officials ..." is followed by the carried quote, "Farmers ..." is last: two spans
    assert len(by["r1"].omitted) == 2
    s = by["r2"].omitted
    assert [w1.text[o.start:o.end][:8] for o in s] == ["Mission ", "Farmers "]


def _terms(f):
    return {(t.concept, t.term): t.count for t in f.terms}


def test_terms_from_lexicon_and_learned(framing):
    arts, by = framing
    r1, w1 = _terms(by["r1"]), _terms(by["w1"])
    assert r1[("fewer than", "less than")] == 1
    assert w1[("fewer than", "fewer than")] == 1
    # government -> regime, found by the lexicon's generic concept
    assert r1[("government", "regime")] == 2
    assert w1[("government", "government")] == 2           # the quoted "government" is not counted
    # gangs -> cartels is in no lexicon: learned from the rewritten passage
    learned = [t for t in by["r1"].terms if t.learned]
    assert {"concept": "gangs", "term": "cartels", "count": 1, "learned": True} in [t.to_dict() for t in learned]
    assert w1[("gangs", "gangs")] == 2


def test_no_term_entry_when_all_articles_agree(framing):
    arts, by = framing
    concepts = {t.concept for f in by.values() for t in f.terms}
    assert "militants" not in concepts       # nobody names militants at all
    assert "said" not in concepts            # all use "said" only (r1's "say" is not a variant)


def test_actor_change_detected_and_restyling_not_flagged(framing):
    arts, by = framing
    ch = by["r1"].actor_changes
    assert len(ch) == 1
    c = ch[0]
    assert c.source_actor == "U.N.-led mission"
    assert c.target_actor == "Kestrel Guard"
    assert c.source_article == "w1"
    assert arts["w1"].text[c.source_start:c.source_end].startswith("BRAVIK")
    assert arts["r1"].text[c.target_start:c.target_end].startswith("The Kestrel Guard")
    # "U.N.-led mission" -> "UN-led mission" and "Colonel" -> "Col." are restyling
    assert by["r2"].actor_changes == []
    assert by["w1"].actor_changes == []


def test_offsets_are_inside_texts(framing):
    arts, by = framing
    for aid, f in by.items():
        n = len(arts[aid].text)
        for s, e in f.added:
            assert 0 <= s < e <= n
        for o in f.omitted:
            assert 0 <= o.start < o.end <= len(arts[o.article].text)
        for t in f.added_text:
            assert len(t) <= 300
    json.dumps([f.to_dict() for f in by.values()])       # serialisable


def test_origin_guessed_when_story_has_none():
    arts = _articles()
    d = Derivation("w1", "r2", "wholly", False, 0.9, [])
    out = compare_framing([arts["w1"], arts["r2"]], [Story("s", ["r2", "w1"])], [d])
    by = {f.article: f for f in out}
    assert by["w1"].omitted == [] and by["r2"].omitted


def test_degenerate_inputs_do_not_break():
    arts = _articles()
    empty = Article(id="e", text="")
    bare = Article(id="b", text="A short note without sentence spans given. It has two sentences.")
    bad = Derivation("w1", "b", "partially", False, 0.1, [Passage(0, 10**6, 5, 10**6, "verbatim")])
    stories = [Story("s", ["w1", "e", "b", "missing", "w1"], origin="missing")]
    out = compare_framing([arts["w1"], empty, bare], stories, [bad])
    assert {f.article for f in out} == {"w1", "e", "b"}
    by = {f.article: f for f in out}
    assert by["e"].added == [] and by["e"].terms == []
    assert by["w1"].omitted == []          # the origin falls back to the derivation's source
    from wiretrace.framing.signals import compute_signals
    sig = compute_signals([arts["w1"], empty, bare], [bad], stories)
    assert sig["e"].patchwork == 0.0 and sig["e"].orphan_references == []
    assert 0.0 <= sig["b"].patchwork <= 1.0


def test_sentence_retold_with_another_actor_is_carried_not_added():
    # the two sentences share too little to be "similar" (overlap ~0.38): only the
    # actor change (same predicate, other agent) ties them together
    src = ("Despite repeated warnings from farmers about floods along the river, the regional water board "
           "does not intend to raise the northern dykes this year, a board engineer said on Monday.")
    tgt = ("The national army does not intend to raise the northern dykes, despite warnings, according to "
           "local radio reports broadcast in the valley towns overnight.")
    a = Article(id="a", text=src, sentences=split_sentences(src))
    b = Article(id="b", text=tgt, sentences=split_sentences(tgt))
    out = compare_framing([a, b], [Story("s", ["a", "b"], origin="a")], [])
    by = {f.article: f for f in out}
    ch = by["b"].actor_changes
    assert [(c.source_actor, c.target_actor) for c in ch] == [("regional water board", "national army")]
    assert by["b"].added == []
    assert by["b"].omitted == []
