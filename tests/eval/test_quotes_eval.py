import json

from wiretrace.eval.quotes import is_pronoun, pair, score, speaker_right, summary


def _write(tmp_path, gold, system):
    g = tmp_path / "gold.jsonl"
    g.write_text("\n".join(json.dumps(x) for x in gold), encoding="utf-8")
    a = tmp_path / "analysis.json"
    a.write_text(json.dumps({"articles": system}), encoding="utf-8")
    return g, a


def test_pairing_threshold_and_greedy():
    # {a b c d e} vs {a b c d}: 4/5 = 0.8 match; {a b} vs {a b c d e}: 0.4 no match
    assert pair(["a b c d"], ["A, b. c d e"]) == [(0, 0, 0.8)]
    assert pair(["a b"], ["a b c d e"]) == []
    # greedy best-first: system 1 (exact) takes gold 0, system 0 is left out
    p = pair(["a b c d", "a b c d e"], ["a b c d e"])
    assert p == [(1, 0, 1.0)]


def test_speaker_rules():
    assert speaker_right("Trump", "Donald Trump")
    assert speaker_right("Obama", "Mr. Obama")
    assert speaker_right("Mr. Obama", "President Barack Obama")
    assert not speaker_right("President Trump", "President Obama")
    assert speaker_right("the letter", "the letter")
    assert speaker_right("the campaign", "the Clinton campaign")   # no name on one side: role words count
    assert not speaker_right(None, "Trump")
    assert is_pronoun("he") and is_pronoun("She") and not is_pronoun("the report")


def test_score_hand_computed(tmp_path):
    gold = [
        {"id": "x", "quotes": [{"text": "one two three four", "speaker": "Ann Lee"},
                               {"text": "five six seven eight", "speaker": "he"},
                               {"text": "nine ten eleven twelve", "speaker": "Bo Chan"}]},
        {"id": "y", "quotes": [{"text": "alpha beta gamma", "speaker": "Cy Dee"}]},   # missing article
    ]
    system = [{"id": "x", "quotes": [
        {"text": "One, two three four!", "speaker": "Lee"},          # match, speaker right
        {"text": "five six seven eight", "speaker": "Zed"},          # match, pronoun gold: not scored
        {"text": "nine ten eleven twelve", "speaker": "Mr. Chan"},   # match, right
        {"text": "totally different words here", "speaker": None}]}]  # spurious
    g, a = _write(tmp_path, gold, system)
    s = score(g, a)
    assert s["matched"] == 3 and s["system"] == 4 and s["gold"] == 4
    assert s["precision"] == 0.75 and s["recall"] == 0.75
    assert abs(s["f1"] - 0.75) < 1e-9
    assert s["speaker_n"] == 2 and s["speaker_accuracy"] == 1.0
    line = summary(s)
    assert line.startswith("quotes F1=0.7500 P=0.7500 R=0.7500 speakerAcc=1.0000 n=4")
