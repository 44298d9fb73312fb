"""The one stemmer (wiretrace.english.stem) and who uses it."""
from wiretrace.english import stem


def test_plural_and_possessive_folding():
    assert [stem(w) for w in ("troops", "parties", "court's", "court\u2019s", "press", "status", "crisis", "bus")] == [
        "troop", "party", "court", "court", "press", "status", "crisis", "bus"]
    # story features keep verb forms apart
    assert stem("killed") == "killed" and stem("killing") == "killing"


def test_verb_inflections_only_when_asked():
    assert [stem(w, verbs=True) for w in ("killed", "killing", "kills", "troops", "red", "sing")] == [
        "kill", "kill", "kill", "troop", "red", "sing"]


def test_story_features_and_framing_both_use_it():
    from wiretrace.framing.text import content_set
    from wiretrace.stories.features import tokens
    assert tokens("Troops killed the parties of the court\u2019s judges.") == ["troop", "killed", "party", "court", "judge"]
    text = "Troops killed the parties."
    assert content_set(text, 0, len(text)) == {"troop", "kill", "party"}
