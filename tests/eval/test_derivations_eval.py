"""The derivations scorer on tiny hand-computed cases."""
from __future__ import annotations

import json

import pytest

from wiretrace.eval.derivations import score, summary

GOLD = {
    "derivations": [
        {"source": "A", "target": "B", "kind": "wholly", "credited": True, "share": 1.0, "how": "republished"},
        {"source": "B", "target": "C", "kind": "partially", "credited": False, "share": 0.5, "how": "rewritten"},
        {"source": "A", "target": "P", "kind": "partially", "credited": False, "share": 0.3, "how": "stitched"},
        {"source": "X", "target": "P", "kind": "partially", "credited": False, "share": 0.3, "how": "stitched"},
        {"source": "Y", "target": "P", "kind": "partially", "credited": False, "share": 0.3, "how": "stitched"},
    ],
    "sentences": {
        "C": [{"text": "One two three.", "source": "B", "how": "verbatim"},
              {"text": "Own words here.", "source": None, "how": "own"},
              {"text": "Four   five six.", "source": "B", "how": "edited"},
              {"text": "Not in the text.", "source": "B", "how": "verbatim"}],
    },
    "patchwork": ["P"],
    "independent_pairs": [["A", "X"], ["X", "Y"]],
}
C_TEXT = "One two three. Own words here.\nFour five six."


def write(tmp_path, ders):
    g = tmp_path / "gold.json"
    a = tmp_path / "analysis.json"
    g.write_text(json.dumps(GOLD))
    a.write_text(json.dumps({"articles": [{"id": "C", "text": C_TEXT}], "derivations": ders}))
    return g, a


def d(s, t, kind="partially", credited=False, passages=()):
    return {"source": s, "target": t, "kind": kind, "credited": credited, "share": 0.5,
            "passages": [{"source_start": 0, "source_end": 1, "target_start": a, "target_end": b,
                          "kind": "verbatim"} for a, b in passages]}


def test_perfect(tmp_path):
    ders = [d("A", "B", "wholly", True), d("B", "C", passages=[(0, 14), (31, 45)]),
            d("A", "P"), d("X", "P"), d("Y", "P")]
    r = score(*write(tmp_path, ders))
    assert r["pairF1"] == r["lenientF1"] == r["kindAcc"] == r["creditedAcc"] == 1.0
    assert r["falseRate"] == 0.0 and r["patchRecall"] == 1.0
    assert r["sentF1"] == 1.0 and r["sentences_not_found"] == 1
    assert summary(r) == ("derivations pairF1=1.000 lenientF1=1.000 kindAcc=1.000 falseRate=0.000 "
                          "patchRecall=1.000 sentF1=1.000")


def test_grandparent_is_lenient_only_and_errors_count(tmp_path):
    ders = [d("A", "B", "partially", True),        # right pair, wrong kind
            d("A", "C", passages=[(0, 24)]),       # grandparent: lenient only; covers s1 and 9/15 of own s2
            d("A", "P"), d("X", "P"),              # 2 of 3 patchwork sources: not >= 3
            d("X", "A")]                           # an independent pair, reversed
    r = score(*write(tmp_path, ders))
    # strict: A->B, A->P, X->P correct: 3 of 5 system, 3 of 5 gold
    assert r["pairP"] == pytest.approx(3 / 5) and r["pairR"] == pytest.approx(3 / 5)
    # lenient: A->C accepted for B->C; X->A is not
    assert r["lenientP"] == pytest.approx(4 / 5) and r["lenientR"] == pytest.approx(4 / 5)
    assert r["kindAcc"] == pytest.approx(2 / 3) and r["creditedAcc"] == 1.0
    assert r["falseRate"] == pytest.approx(0.5)
    assert r["patchRecall"] == 0.0
    # sentences: s1 attributed to A (FP, FN), s2 own attributed (FP), s3 missed (FN)
    assert r["sentP"] == 0.0 and r["sentR"] == 0.0
    # lenient: s1 is TP (A is the original of B), s2 FP, s3 FN
    assert r["lenientSentP"] == pytest.approx(0.5) and r["lenientSentR"] == pytest.approx(0.5)


def test_target_or_its_copy_is_never_a_lenient_source(tmp_path):
    ders = [d("C", "B"), d("B", "A")]
    r = score(*write(tmp_path, ders))
    assert r["lenientP"] == 0.0 and r["pairF1"] == 0.0


def test_half_covered_sentence_counts(tmp_path):
    # "Four five six." is 14 chars at 31..45; 7 covered chars is exactly half
    r = score(*write(tmp_path, [d("B", "C", passages=[(31, 38)])]))
    assert r["sentR"] == pytest.approx(1 / 2)
    r = score(*write(tmp_path, [d("B", "C", passages=[(31, 37)])]))
    assert r["sentR"] == 0.0
