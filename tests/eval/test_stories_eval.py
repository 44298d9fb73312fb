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


def test_topics_exact_apart_and_storylines(tmp_path):
    from wiretrace.eval.stories import score_topics
    # topic 1: events A {a1,a2,a3}, B {b1,b2}; topic 2: events C {c1,c2}, D {d1}
    gold = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C", "d1": "D"}
    topics = {i: ("1" if i[0] in "ab" else "2") for i in gold}
    # topic 1 split exactly; topic 2: C split in two (apart, not exact), D alone
    sys_ = {"a1": "s1", "a2": "s1", "a3": "s1", "b1": "s2", "b2": "s2", "c1": "s3", "c2": "s4", "d1": "s5"}
    lines = {"a1": "l1", "a2": "l1", "a3": "l1", "b1": "l1", "b2": "l1", "c1": "l2", "c2": "l3", "d1": "l4"}
    m = score_topics(gold, topics, sys_, lines)
    assert (m["topics"], m["topics_exact"], m["topics_apart"], m["topics_one_storyline"]) == (2, 1, 2, 1)
    # a story mixing two events of one topic: neither exact nor apart
    sys_["b1"] = "s1"
    m = score_topics(gold, topics, sys_, lines)
    assert (m["topics_exact"], m["topics_apart"]) == (0, 1)
    # an event whose story also holds an article of another topic is not exact
    sys_ = {"a1": "s1", "a2": "s1", "a3": "s1", "b1": "s2", "b2": "s2", "c1": "s3", "c2": "s3", "d1": "s2"}
    m = score_topics(gold, topics, sys_)
    assert (m["topics_exact"], m["topics_apart"], m["topics_one_storyline"]) == (0, 2, None)
    # through the files: the summary names the topics
    g = tmp_path / "gold.jsonl"
    g.write_text("\n".join(json.dumps({"id": i, "story": s, "topic": topics[i]}) for i, s in gold.items()), "utf-8")
    an = tmp_path / "analysis.json"
    an.write_text(json.dumps({"articles": [{"id": i, "story": sys_[i], "storyline": lines[i]} for i in gold]}), "utf-8")
    m = score(g, an)
    assert m["topics"] == 2 and "topics: exact=0/2 apart=2/2 one_storyline=" in summary(m)
    assert [p["topic"] for p in m["per_topic"]] == ["1", "2"]
