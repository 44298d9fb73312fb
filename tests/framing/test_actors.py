"""The agent of a sentence, found by heuristics, and actor changes between aligned sentences."""
import pytest

from wiretrace.framing.actors import actor_change, same_actor, subject
from wiretrace.framing.terms import load_lexicon
from wiretrace.framing.text import prepare
from wiretrace.model import Article


def _subj(t):
    r = subject(t, 0, len(t))
    return r[0] if r else None


def test_subject_of_plain_and_complex_sentences():
    assert _subj("The U.S.-led coalition does not intend to strike the port.") == "U.S.-led coalition"
    assert _subj("The Northern Shield Alliance (NSA) does not intend to strike the port.") == \
        "Northern Shield Alliance (NSA)"
    assert _subj("Despite saying the army was weak, the EU-backed mission fighting the gangs will stay, an official said.") \
        == "EU-backed mission"
    assert _subj("KALMAR (Agency) - The harbour authority said on Monday it would reopen the docks.") == "harbour authority"
    assert _subj("“We will stay,” Lindqvist said.") == "Lindqvist"
    assert _subj("However, regional police have arrested three men.") == "regional police"
    assert _subj("In response the council has voted to close the road.") == "council"
    assert _subj("Tomas Berg, the deputy mayor of the town, said the road would stay shut.") == "Tomas Berg"


def test_same_actor_ignores_restyling_and_shortening():
    assert same_actor("U.S.-led coalition", "the US-led coalition")
    assert same_actor("Gen. Ada Lindqvist", "Lindqvist")
    assert same_actor("the coalition", "US-led coalition")
    assert not same_actor("U.S.-led coalition", "US-backed Syrian Democratic Forces (SDF)")
    assert not same_actor("the city council", "the regional police")


def _pair(a, b):
    da, db = prepare(Article(id="a", text=a)), prepare(Article(id="b", text=b))
    return actor_change(da, da.sents[0], db, db.sents[0], load_lexicon())


def test_actor_change_needs_a_different_agent_and_the_same_predicate():
    src = "Despite the storm warnings, the port authority does not intend to close the northern docks, an official said."
    ch = _pair(src, "The shipping union does not intend to close the northern docks despite the storm warnings.")
    assert ch and ch.source_actor == "port authority" and ch.target_actor == "shipping union"
    # restyled / shortened actor: no change
    assert _pair(src, "The Port Authority does not intend to close the northern docks despite storm warnings.") is None
    # another agent doing something else: not the same statement
    assert _pair(src, "The shipping union has asked the ministry for a pay rise after the storm.") is None


def test_two_names_for_one_lexicon_concept_are_not_an_actor_change():
    assert _pair("The Syrian government has refused to open the crossing to aid convoys.",
                 "The Assad regime has refused to open the crossing to aid convoys.") is None


def test_pronouns_are_not_actors():
    assert _pair("The mayor has refused to open the bridge to heavy lorries.",
                 "She has refused to open the bridge to heavy lorries.") is None


@pytest.mark.slow
def test_spacy_subjects_when_the_model_is_installed(monkeypatch):
    from wiretrace.framing import actors
    if actors._nlp() is None:
        pytest.skip("spaCy model not installed (optional)")
    monkeypatch.setenv("WIRETRACE_SPACY", "1")
    t = "Despite the storm warnings, the port authority does not intend to close the northern docks, an official said."
    r = actors.subject_spacy(t, 0, len(t))
    assert r and "authority" in r[0]
    ch = _pair(t, "The shipping union does not intend to close the northern docks despite the storm warnings.")
    assert ch and "union" in ch.target_actor


@pytest.mark.slow
def test_one_spacy_pipeline_serves_actors_and_quote_speakers(monkeypatch):
    """Loaded once per process (wiretrace.nlp), shared by the parse (actors) and the
    entities (quote speakers), each running only the components it reads."""
    spacy = pytest.importorskip("spacy")
    from wiretrace import nlp
    from wiretrace.framing import actors
    from wiretrace.segment import quotes
    monkeypatch.setattr(nlp, "_NLP", None)
    monkeypatch.setattr(nlp, "_ERROR", None)
    loads = []
    real_load = spacy.load
    monkeypatch.setattr(spacy, "load", lambda *a, **k: loads.append(a) or real_load(*a, **k))
    if nlp.pipeline() is None:
        pytest.skip("spaCy model not installed (optional)")
    t = "The port authority will not close the northern docks, an official said."
    assert actors.subject_spacy(t, 0, len(t))[0] == "port authority"
    assert quotes._spacy_person("", "said John Smith, the harbour master.") == "John Smith"
    assert actors._nlp() is nlp.pipeline() and len(loads) == 1
