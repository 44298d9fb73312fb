"""The bundled example corpus, analysed end to end: what a careful reader finds there."""
import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES

WIRE, MEMO, RT, JPOST, FARM = (f.stem for f in sorted(EXAMPLES.glob("*.txt")))


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ex")
    subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(EXAMPLES), "--db", str(tmp / "w.db"),
                    "-o", str(tmp / "a.json"), "-q"], check=True, timeout=300)
    return json.loads((tmp / "a.json").read_text())


def art(analysis, aid):
    return next(a for a in analysis["articles"] if a["id"] == aid)


def test_leftovers_gone_body_kept(analysis):
    for aid, gone, kept in [
        (WIRE, ["World News"], ["WASHINGTON (Reuters) - Despite saying", "“ISIS 2.0.”"]),
        (MEMO, ["Creating new perspectives since 2009", "Read: Syrian army", "Smoke rises after"],
         ["Reuters reported yesterday", "as long as they want to fight"]),
        (RT, ["icon bookmark", "28 Dec, 2017 04:44"], ["Ignoring the Syrian forces", "appropriating"]),
        (JPOST, ["2 minute read.", "Related Content", "Cookie Settings", "photo credit", "Turkish attack on Kurds"],
         ["according to AFP", "continue its jihad."]),
        (FARM, ["Minnie Murray", "Discuss This Article", "Other reports by"], ["BEIRUT (AP) _", "the diplomat stressed"]),
    ]:
        a = art(analysis, aid)
        for g in gone:
            assert g not in a["text"], (aid, g)
        for k in kept:
            assert k in a["text"], (aid, k)
        # the headline is the title, not a body line
        assert a["title"] and a["title"] not in a["text"]


def test_metadata_as_written(analysis):
    w = art(analysis, WIRE)
    assert w["dateline"]["place"] == "WASHINGTON" and w["dateline"]["agency"] == "Reuters"
    assert {"role": "reporting", "names": ["Idrees Ali"]} in w["credits"]
    assert {"role": "editing", "names": ["Leslie Adler"]} in w["credits"]
    assert art(analysis, MEMO)["published"].startswith("2017-12-28T14:07")
    assert art(analysis, RT)["published"].startswith("2017-12-28T04:44")
    assert art(analysis, JPOST)["published"].startswith("2017-12-28T12:24")
    f = art(analysis, FARM)
    assert f["published"].startswith("2019-02-11") and f["authors"] == ["Minnie Murray"]
    assert f["dateline"]["place"] == "BEIRUT"
    for aid, name in [(MEMO, "Reuters"), (JPOST, "AFP"), (FARM, "Reuters")]:
        a = art(analysis, aid)
        cues = [c for c in a["cited_sources"] if c["name"] == name]
        assert cues, (aid, name)
        for c in cues:
            assert a["text"][c["start"]:c["end"]] == c["cue"]


def test_origin_story_and_derivation(analysis):
    stories = {s["id"]: s for s in analysis["stories"]}
    s2017 = stories[art(analysis, WIRE)["story"]]
    assert sorted(s2017["articles"]) == sorted([WIRE, MEMO, RT, JPOST])
    assert s2017["origin"] == WIRE
    assert art(analysis, FARM)["story"] != s2017["id"]
    d = [x for x in analysis["derivations"] if x["target"] == MEMO]
    assert [(x["source"], x["credited"]) for x in d] == [(WIRE, True)]
    assert d[0]["passages"] and 0.2 < d[0]["share"] < 0.8


def test_quotes_travel_with_their_variants(analysis):
    groups = [g for g in analysis["quote_groups"] if "Gedney" in (g["speaker"] or "")]
    assert len(groups) >= 3
    changes = [c for g in groups for m in g["members"] for c in m["changes"]]
    assert "deconflict -> de-conflict" in changes
    assert any("[Daesh]" in c for c in changes) and any("[ISIS]" in c for c in changes)
    assert all(any(m["article"] == WIRE for m in g["members"]) for g in groups)


def test_framing_terms_actors_and_signals(analysis):
    fr = {f["article"]: f for f in analysis["framing"]}
    memo_terms = {(t["concept"], t["term"]) for t in fr[MEMO]["terms"]}
    assert ("Islamic State", "Daesh") in memo_terms
    assert any(term.endswith("regime") for concept, term in memo_terms)
    assert fr[MEMO]["omitted"] and fr[MEMO]["added"]
    assert any("coalition" in a["source_actor"] and "Syrian Democratic Forces" in a["target_actor"]
               for a in fr[MEMO]["actor_changes"])
    pw = {a["id"]: a["signals"]["patchwork"] for a in analysis["articles"]}
    assert max(pw, key=pw.get) == FARM
    assert "the diplomat" in art(analysis, FARM)["signals"]["orphan_references"]
    assert not art(analysis, WIRE)["signals"]["orphan_references"]


def test_one_storyline_for_both_stories(analysis):
    stories = {s["id"]: s for s in analysis["stories"]}
    assert len(stories) == 2
    assert len({s["storyline"] for s in stories.values()}) == 1
    assert art(analysis, WIRE)["storyline"] == art(analysis, FARM)["storyline"]
