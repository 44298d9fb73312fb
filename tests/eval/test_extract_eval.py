"""The extract-dev scorer on tiny hand-made gold/analysis files with hand-computed values."""
import json

import pytest

from wiretrace.eval.extract import score, shingles, summary


def _write(tmp_path, gold, articles):
    g = tmp_path / "gold.jsonl"
    g.write_text("".join(json.dumps({"id": i, "body": b}) + "\n" for i, b in gold), encoding="utf-8")
    a = tmp_path / "analysis.json"
    a.write_text(json.dumps({"schema": "wiretrace.analysis/1", "articles": [{"id": i, "text": t} for i, t in articles],
                             "stories": [], "derivations": [], "quote_groups": [], "framing": []}), encoding="utf-8")
    return g, a


def test_shingles_are_word_tokens_case_kept():
    # "A b, c-d e." -> tokens A b c d e -> shingles (A,b,c,d) (b,c,d,e)
    assert shingles("A b, c-d e.") == {("A", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert ("a", "b", "c", "d") not in shingles("A b, c-d e.")
    assert shingles("one two") == {("one", "two"): 1}   # shorter than 4 tokens: one shingle
    assert not shingles(" ... ")


def test_hand_computed_scores(tmp_path):
    gold = [
        # 6 tokens -> 3 shingles
        ("a", "w1 w2 w3 w4 w5 w6"),
        # 5 tokens -> 2 shingles
        ("b", "x1 x2 x3 x4 x5"),
        ("c", "y1 y2 y3 y4"),
    ]
    arts = [
        # system: menu m1 + gold -> tokens m1 w1..w6: 4 shingles, 3 shared -> P 3/4, R 3/3
        ("a", "m1\n\nw1 w2 w3 w4 w5 w6"),
        # system: first 4 tokens only -> 1 shingle, shared 1 -> P 1, R 1/2
        ("b", "x1 x2\nx3 x4"),
        # c: empty text -> recall 0, no precision, reported missing
        ("c", ""),
    ]
    g, a = _write(tmp_path, gold, arts)
    r = score(g, a)
    P = (0.75 + 1.0) / 2
    R = (1.0 + 0.5 + 0.0) / 3
    assert r["precision"] == pytest.approx(P)
    assert r["recall"] == pytest.approx(R)
    assert r["f1"] == pytest.approx(2 * P * R / (P + R))
    assert r["n"] == 3 and r["missing"] == 1 and r["missing_ids"] == ["c"]
    assert summary(r) == f"extract F1={2 * P * R / (P + R):.3f} P={P:.3f} R={R:.3f} n=3 missing=1"


def test_multiset_counts_and_missing_article(tmp_path):
    # gold: "a b c d" once (1 shingle); system repeats it twice -> 2 system shingles, 1 shared
    g, a = _write(tmp_path, [("x", "a b c d"), ("y", "p q r s")], [("x", "a b c d a b c d")])
    r = score(g, a)
    # x: tokens a b c d a b c d -> 5 shingles, only (a,b,c,d) x2 matches gold's single one -> shared 1
    assert r["per_article"]["x"]["precision"] == pytest.approx(1 / 5)
    assert r["per_article"]["x"]["recall"] == pytest.approx(1.0)
    assert r["per_article"]["y"] == {"precision": None, "recall": 0.0}
    assert r["precision"] == pytest.approx(0.2)
    assert r["recall"] == pytest.approx(0.5)
    assert r["missing"] == 1


def test_case_matters(tmp_path):
    g, a = _write(tmp_path, [("x", "The cat sat down")], [("x", "the cat sat down")])
    r = score(g, a)
    assert r["precision"] == 0.0 and r["recall"] == 0.0 and r["f1"] == 0.0
