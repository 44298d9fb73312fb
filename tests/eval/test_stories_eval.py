import json

import pytest

from wiretrace.eval.stories import score, score_labels, summary


def test_perfect_and_singletons():
    gold = {"a": "X", "b": "X", "c": "Y"}
    m = score_labels(gold, {"a": "1", "b": "1", "c": "2"})
    assert m["bcubed_f1"] == 1.0 and m["pair_f1"] == 1.0 and m["ari"] == 1.0 and m["stories"] == 2
    m = score_labels(gold, {})                       # all missing: singletons
    assert m["stories"] == 3 and m["pair_f1"] == 0.0
    assert m["bcubed_precision"] == 1.0
    assert m["bcubed_recall"] == pytest.approx((0.5 + 0.5 + 1) / 3)


def test_hand_computed_case():
    # gold {a,b,c} {d}; system {a,b} {c,d}
    gold = {"a": "X", "b": "X", "c": "X", "d": "Y"}
    sys_ = {"a": "1", "b": "1", "c": "2", "d": "2"}
    m = score_labels(gold, sys_)
    # pairs: sys {ab, cd}, gold {ab, ac, bc}; tp = 1
    assert m["pair_precision"] == pytest.approx(0.5)
    assert m["pair_recall"] == pytest.approx(1 / 3)
    assert m["pair_f1"] == pytest.approx(0.4)
    # BCubed P: a 1, b 1, c 1/2, d 1/2 -> 0.75; R: a 2/3, b 2/3, c 1/3, d 1 -> 2/3
    assert m["bcubed_precision"] == pytest.approx(0.75)
    assert m["bcubed_recall"] == pytest.approx(2 / 3)
    assert m["bcubed_f1"] == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))
    # ARI: total 6 pairs, expected = 2*3/6 = 1, max = 2.5 -> (1-1)/(2.5-1) = 0
    assert m["ari"] == pytest.approx(0.0)


def test_null_story_is_singleton_and_files(tmp_path):
    g = tmp_path / "gold.jsonl"
    g.write_text("\n".join(json.dumps({"id": i, "story": s}) for i, s in
                           [("a", "X"), ("b", "X"), ("c", "Y")]), "utf-8")
    an = tmp_path / "analysis.json"
    an.write_text(json.dumps({"articles": [{"id": "a", "story": None}, {"id": "b", "story": None},
                                           {"id": "c", "story": "s1"}, {"id": "zz", "story": "s1"}]}), "utf-8")
    m = score(g, an)
    assert m["stories"] == 3 and m["pair_f1"] == 0.0 and m["articles"] == 3
    assert summary(m).startswith("stories bcubedF1=")
