"""Term counting, the shipped lexicon and substitutions learned from aligned sentences."""
import json
from importlib import resources

from wiretrace.framing import terms as tm
from wiretrace.framing.text import prepare
from wiretrace.model import Article, Quote


def test_lexicon_ships_and_is_well_formed():
    lex = tm.load_lexicon()
    assert 40 <= len(lex) <= 120
    names = {c.name for c in lex}
    assert {"Islamic State", "Syrian government", "said", "undocumented immigrants",
            "anti-abortion", "militants", "killed", "tax cuts"} <= names
    for c in lex:
        assert len(c.terms) >= 2 and c.loaded <= set(c.terms)
    raw = json.loads(resources.files("wiretrace.data").joinpath("loaded_terms.json").read_text("utf-8"))
    assert raw["schema"].startswith("wiretrace.loaded_terms")
    assert resources.files("wiretrace.data").joinpath("LOADED_TERMS.md").is_file()


def test_counting_is_word_bounded_longest_first_and_case_aware():
    text = ("Islamic State group fighters fled. IS lost ground, officials said, and this is what ISIS "
            "feared; the Islamic State claimed otherwise. Isis and crisis are other words.")
    c = tm.count_terms(text, ["Islamic State", "Islamic State group", "IS", "ISIS", "Isis"])
    assert c["Islamic State group"] == 1
    assert c["Islamic State"] == 1                 # not counted again inside "Islamic State group"
    assert c["IS"] == 1                            # "is" lower case is not the acronym
    assert c.get("ISIS", 0) + c.get("Isis", 0) == 2  # "crisis" is not counted


def test_common_word_capitalised_mid_sentence_is_a_name():
    text = "The United States says it will act. He states the obvious. States differ."
    c = tm.count_terms(text, ["states"])
    assert c["states"] == 2      # "He states" and the sentence-initial "States", not "United States"


def test_quotes_are_not_the_outlets_choice():
    t = 'Officials said the regime is weak. "The regime must go," he said.'
    a = Article(id="a", text=t, quotes=[Quote("The regime must go,", t.index("The regime must"), t.index('," he') + 1)])
    d = prepare(a)
    assert tm.count_terms(t, ["regime"], d.quotes) == {"regime": 1}


def _doc(aid, text):
    return prepare(Article(id=aid, text=text))


def test_substitution_learned_from_lexicon_pair():
    src = _doc("s", "The army said fewer than 200 rebels remain in the hills near the river.")
    tgt = _doc("t", "The army said less than 200 terrorists remain in the hills near the river.")
    subs = tm.substitutions(src, 0, len(src.text), tgt, 0, len(tgt.text))
    got = {(s.concept, s.source_term, s.target_term, s.lexicon) for s in subs}
    assert ("fewer than", "fewer", "less", True) in got or ("fewer than", "fewer than", "less than", True) in got
    assert ("militants", "rebels", "terrorists", True) in got


def test_substitution_learned_outside_lexicon_and_restyling_ignored():
    src = _doc("s", "Police said the protest camp near the U.S. embassy was cleared by bulldozers on Sunday.")
    tgt = _doc("t", "Police said the protest camp near the US embassy was demolished by bulldozers on Sunday.")
    subs = tm.substitutions(src, 0, len(src.text), tgt, 0, len(tgt.text))
    pairs = {(s.source_term, s.target_term) for s in subs}
    assert ("cleared", "demolished") in pairs
    assert not any("U.S." in a for a, _ in pairs)      # U.S. -> US is restyling


def test_story_terms_only_for_concepts_named_differently():
    a = _doc("a", "Illegal aliens were detained at the border, officials said.")
    b = _doc("b", "Undocumented immigrants were detained at the border, officials said.")
    c = _doc("c", "Undocumented immigrants crossed at night, officials said.")
    out = tm.story_terms([a, b, c], tm.story_concepts([]))
    assert [t.to_dict() for t in out["a"]] == [{"concept": "undocumented immigrants", "term": "Illegal aliens",
                                                "count": 1, "loaded": True}] \
        or out["a"][0].term.lower() == "illegal aliens"
    assert [t.term.lower() for t in out["b"]] == ["undocumented immigrants"]
    assert all(t.concept != "said" for ts in out.values() for t in ts)


def test_spelling_and_inflection_variants_are_not_term_choices():
    src = _doc("s", "Officials said the defense ministry estimates the damage at two bridges near the port.")
    tgt = _doc("t", "Officials said the defence ministry estimate the damage at two bridges near the port.")
    assert tm.substitutions(src, 0, len(src.text), tgt, 0, len(tgt.text)) == []
