"""Wire copy on small hand-made corpora (issue 12): times as precise as they are,
direction from the text, siblings, a wire lineage, an inferred outlet."""
from __future__ import annotations
import re

from wiretrace.clean.metadata import extract_metadata
from wiretrace.model import Analysis, Article, OutletSource
from wiretrace.render.report import outlet_label, why_source
from wiretrace.trace.derive import agency_flags, find_derivations, text_candidates
from wiretrace.trace.direction import wire_copy, wire_version
from wiretrace.trace.relations import wire_lineages

PA = [
    "A former bank clerk was jailed for six years today for stealing 412,000 pounds from elderly customers of the Harrow branch where she worked.",
    "Margaret Ellison, 47, of Pinner, north west London, admitted 23 charges of theft at Southwark Crown Court.",
    "Judge Peter Crawley told her that she had betrayed the trust of people who relied on her to look after their savings.",
    "The court heard that Ellison moved money from dormant accounts belonging to pensioners into an account she controlled in her sister's name.",
    "Detectives from the Metropolitan Police fraud squad traced the transfers after an 86-year-old widow queried a missing deposit last spring.",
    "Most of the money was spent on holidays in Barbados, a caravan in Norfolk and gambling on horse racing, prosecutor Anne Whitby said.",
]
PA_HEAD = ["BANK CLERK JAILED FOR STEALING FROM PENSIONERS", "By Ann Roe, Crime Correspondent, PA News"]


def paper(extra: list[str]) -> list[str]:
    """A newspaper's rewrite the next morning: "today" becomes "yesterday", details go."""
    return [
        "A bank clerk who stole 412,000 pounds from pensioners was jailed for six years yesterday.",
        PA[1],
        "The court heard that Ellison moved money from dormant accounts belonging to pensioners into an account she controlled.",
        PA[4],
        *extra,
    ]


N1_OWN = ["Neighbours in Pinner said Ellison had always seemed a quiet and generous woman who ran the church raffle every Christmas."]
N2_OWN = ["The bank has since written to every customer of the Harrow branch offering a full review of their accounts at no cost."]


def art(aid, paras, outlet=None, published=None):
    return Article(id=aid, text="\n\n".join(paras), outlet=outlet, published=published)


def test_same_day_date_against_timestamp_leaves_it_to_the_text():
    pa = art("pa", PA_HEAD + PA, "Press Association", "2000-03-01T11:29")
    n1 = art("n1", paper(N1_OWN), "Daily Mirror", "2000-03-01")       # a day, not midnight
    ders = {(d.source, d.target): d for d in find_derivations([n1, pa], workers=1)}
    assert set(ders) == {("pa", "n1")}
    ev = ders[("pa", "n1")].evidence
    assert ev.direction == "wire" and ev.direction_votes["published"] == "open"
    assert why_source(ders[("pa", "n1")].to_dict()).startswith("an agency's own copy")
    # the newspaper dated the next day: the times decide
    n1.published = "2000-03-02"
    d = find_derivations([n1, pa], workers=1)
    assert [(x.source, x.target, x.evidence.direction) for x in d] == [("pa", "n1", "published")]


def test_no_dates_and_no_outlets():
    # nothing but the texts: the wire byline marks the agency's copy
    pa = art("pa", PA_HEAD + PA)
    n1 = art("n1", paper(N1_OWN))
    d = find_derivations([n1, pa], workers=1)
    assert [(x.source, x.target) for x in d] == [("pa", "n1")]
    assert d[0].evidence.direction == "wire" and "PA News" in d[0].evidence.direction_votes["wire"]
    # without the byline either: "today" -> "yesterday" and the dropped details decide
    pa = art("pa", PA)
    d = find_derivations([n1, pa], workers=1)
    assert [(x.source, x.target) for x in d] == [("pa", "n1")]
    assert d[0].evidence.direction in ("deixis", "details", "containment")
    assert d[0].evidence.direction_votes.get("deixis") in (1, -1)


def test_siblings_are_not_copies():
    pa = art("pa", PA_HEAD + PA, "Press Association", "2000-03-01T11:29")
    n1 = art("n1", paper(N1_OWN), "Daily Mirror", "2000-03-01")
    # the Sun's own rewrite: what it shares with the Mirror is what both took from PA
    n2 = art("n2", ["Pensioners were robbed of 412,000 pounds by a bank clerk who was locked up for six years yesterday.",
                    PA[1], PA[2], PA[4], *N2_OWN], "The Sun", "2000-03-01")
    ders = find_derivations([n1, n2, pa], workers=1)
    assert {(d.source, d.target) for d in ders} == {("pa", "n1"), ("pa", "n2")}
    an = Analysis(articles=[pa, n1, n2], derivations=ders).to_dict()
    assert [(s["a"], s["b"], s["source"]) for s in an["siblings"]] == [("n1", "n2", "pa")]
    assert an["siblings"][0]["shared_in_source"] >= 0.5


V2_NEW = ["Outside court, Detective Sergeant Colin Marsh said the sentence sent a clear message to anyone who preyed on the elderly.",
          "The bank said it had repaid every customer in full and tightened its checks on dormant accounts."]
V3_NEW = ["The bank's chief executive, Robert Hale, apologised to the customers and their families in a statement tonight."]


def test_three_version_wire_lineage():
    v1 = art("v1", PA_HEAD + PA[:4], "Press Association", "2000-03-01T11:29")
    v2 = art("v2", ["(reopens)"] + PA_HEAD + PA + V2_NEW, "Press Association", "2000-03-01T13:05")
    v3 = art("v3", ["(corrected repetition - amends age in 2nd par)"] + PA_HEAD + PA + V2_NEW + V3_NEW,
             "Press Association", "2000-03-01T16:40")
    assert wire_version(v1) is None and wire_version(v2)[0] == 1 and wire_version(v3)[0] == 90
    for undated in (False, True):
        if undated:
            for v in (v1, v2, v3):
                v.published = None
        ders = find_derivations([v3, v1, v2], workers=1)
        assert {(d.source, d.target) for d in ders} == {("v1", "v2"), ("v2", "v3")}, undated
        lines = wire_lineages([v1, v2, v3], ders)
        assert len(lines) == 1
        assert lines[0].versions == ["v1", "v2", "v3"] and lines[0].agency == "Press Association"
        assert lines[0].parents == {"v2": "v1", "v3": "v2"}
    # a newspaper rewrite takes its source from the version it took from
    n = art("n", paper(N1_OWN) + [V2_NEW[0]], "Daily Mirror", None)
    ders = find_derivations([v1, v2, v3, n], workers=1)
    srcs = {d.source for d in ders if d.target == "n"}
    assert srcs and srcs <= {"v2", "v3"}


def test_outlet_inferred_from_a_dateline():
    body = ("BEIRUT (AP) _ Syrian state media said on Monday that government forces had retaken two villages "
            "near the Turkish border after days of fighting.\n\n"
            "The report could not be independently confirmed, and opposition activists said clashes continued.")
    meta = extract_metadata(body, body, given={})
    assert meta["outlet"] == "Associated Press"
    src = meta["outlet_source"]
    assert src.inferred is True and src.how == "dateline" and "AP" in src.source
    a = Article(id="farm", text=body, outlet=meta["outlet"], dateline=meta["dateline"], outlet_source=src)
    # a page that kept an agency's dateline does not read as the agency's own copy
    assert wire_copy(a) is None
    assert outlet_label(a.to_dict()) == "Associated Press (inferred from dateline (AP))"
    assert a.to_dict()["outlet_source"]["inferred"] is True
    given = extract_metadata(body, body, given={"outlet": "Associated Press"})
    assert given["outlet_source"].to_dict() == {"how": "given", "inferred": False}
    g = Article(id="ap", text=body, outlet="Associated Press", outlet_source=given["outlet_source"])
    assert wire_copy(g)["how"] == "outlet"


def test_wire_update_without_marks_and_without_dates():
    # a later take carries the earlier one forward under a new lead: the earlier is the source
    first = art("take1", PA_HEAD + PA[:4], "Press Association")
    later = art("take2", PA_HEAD + V2_NEW[:1] + PA + V2_NEW[1:], "Press Association")
    d = find_derivations([later, first], workers=1)
    assert [(x.source, x.target, x.evidence.direction) for x in d] == [("take1", "take2", "wire-update")]


def test_report_shows_why_siblings_and_inferred_outlets():
    from wiretrace.render.report import render_report
    from wiretrace.model import Story
    pa = art("pa", PA_HEAD + PA, "Press Association", "2000-03-01T11:29")
    n1 = art("n1", paper(N1_OWN), "Daily <b>Mirror</b>", "2000-03-01")
    n2 = art("n2", ["Pensioners were robbed of 412,000 pounds by a bank clerk who was locked up for six years yesterday.",
                    PA[1], PA[2], PA[4], *N2_OWN], "The Sun", "2000-03-01")
    farm = Article(id="farm", text="BEIRUT (AP) _ Something happened today in the city, officials said on Monday.",
                   outlet="Associated Press", outlet_source=OutletSource("dateline", True, "dateline (AP)"))
    ders = find_derivations([pa, n1, n2], workers=1)
    for x in (pa, n1, n2, farm):
        x.story = "s1"
    an = Analysis(articles=[pa, n1, n2, farm], derivations=ders,
                  stories=[Story("s1", ["pa", "n1", "n2", "farm"], origin="pa")]).to_dict()
    html = render_report(an)
    assert "why this is the source" in html and re.search(r"an agency&#(39|x27);s own copy", html)
    assert "share text through" in html and "neither copied the other" in html
    assert "Associated Press (inferred from dateline (AP))" in html
    assert "<b>Mirror</b>" not in html and "&lt;b&gt;Mirror&lt;/b&gt;" in html


def test_timeline_orders_by_time_with_zones_normalised():
    from wiretrace.render.report import build_index, story_articles
    an = {"articles": [{"id": "a", "published": "2017-12-28T14:07+03:00"},     # 11:07 UTC
                       {"id": "b", "published": "2017-12-28T12:00Z"}, {"id": "c", "published": None},
                       {"id": "d", "published": "2017-12-27"}],
          "stories": [{"id": "s", "articles": ["c", "b", "a", "d"]}]}
    assert [x["id"] for x in story_articles(build_index(an), "s")] == ["d", "a", "b", "c"]


def test_timeline_lists_a_papers_day_after_the_wire_copy_it_came_from():
    """A newspaper dated by its day is not listed at the day's midnight, ahead of the
    timed agency copies; a derivation orders what the times leave open, in the report,
    the terminal and the web app alike (one function)."""
    from wiretrace.render.report import build_index, render_report, story_articles
    an = {"articles": [{"id": "paper", "published": "2024-05-14", "outlet": "Harbour Gazette", "text": "x"},
                       {"id": "pa1", "published": "2024-05-14T06:10", "outlet": "PA", "text": "x"},
                       {"id": "pa2", "published": "2024-05-14T11:40", "outlet": "PA", "text": "x"},
                       {"id": "own", "published": "2024-05-14", "outlet": "Valley Echo", "text": "x"},
                       {"id": "next", "published": "2024-05-15", "outlet": "The Courier", "text": "x"}],
          "stories": [{"id": "s", "articles": ["paper", "own", "next", "pa2", "pa1"], "origin": "pa2"}],
          "derivations": [{"source": "pa2", "target": "paper", "kind": "partially", "share": 0.5},
                          {"source": "paper", "target": "next", "kind": "partially", "share": 0.5}]}
    assert [x["id"] for x in story_articles(build_index(an), "s")] == ["pa1", "pa2", "own", "paper", "next"]
    html = render_report(an)
    timeline = html[html.index('<ol class="timeline"'):]
    timeline = timeline[:timeline.index("</ol>")]
    assert [timeline.index(f'href="#a-{i}"') for i in ("pa1", "pa2", "own", "paper", "next")] == \
        sorted(timeline.index(f'href="#a-{i}"') for i in ("pa1", "pa2", "own", "paper", "next"))
    # the badge links the source, told by its time when its outlet has several texts in the story
    text = re.sub(r"<[^>]+>", "", timeline)
    assert "50% from PA 2024-05-14T11:40, uncredited" in text and "Harbour Gazette 2024-05-14 · paper" not in text
    assert "50% from Harbour Gazette, uncredited" in text
    # the derivations table in timeline order, each PA copy told by its time
    table = html[html.index('<table class="derivations"'):]
    table = " ".join(re.sub(r"<[^>]+>", " ", table[:table.index("</table>")]).split())
    assert table.index("PA 2024-05-14T11:40 Harbour Gazette") < table.index("Harbour Gazette The Courier")
    from wiretrace.render.report import when_label
    assert when_label({"id": "p2", "published": "2024-05-14"}) == "2024-05-14 · p2"   # two papers of a day
    assert when_label({"id": "x", "published": "2024-05-14T11:40"}) == "2024-05-14T11:40"
    assert when_label({"id": "x", "published": None}) == "article x"
    # an outlet read off a dateline is marked as such in the badge too
    an["articles"][2]["outlet_source"] = {"how": "dateline", "from": "dateline (PA)", "inferred": True}
    html = render_report(an)
    assert "50% from PA (inferred from dateline (PA)), uncredited" in re.sub(r"<[^>]+>", "", html)


def test_an_outlet_name_in_a_place_name_is_no_credit():
    from wiretrace.trace.credit import credit_cue
    sun = art("sun", ["x"], "The Sun")
    pub = art("pa", ["He drank three pints of strong lager in The Sun pub in Egham before driving home."])
    cite = art("pa2", ["A spokeswoman was unable to confirm a report in The Sun that viewers would choose."])
    assert credit_cue(pub, sun) is None
    assert "The Sun" in credit_cue(cite, sun)


# -- an outlet's own text of another day ---------------------------------------------

FOLLOW_UP = [
    "Margaret Ellison lost her appeal against a six-year sentence for stealing from pensioners at the Harrow branch today.",
    "Three Court of Appeal judges said the sentence reflected a long and calculated breach of trust by a senior clerk.",
    "Her lawyer had argued that the trial judge gave too little weight to her gambling addiction and her guilty pleas.",
]


def test_own_text_of_another_day_is_not_a_copy():
    from wiretrace.model.derivation import split_own_reuse
    from wiretrace.trace.relations import siblings
    first = art("pa1", PA_HEAD + PA, "Press Association", "2000-03-01T11:29")
    # nine days later the agency's appeal story re-runs three background paragraphs of its own
    later = art("pa9", FOLLOW_UP + PA[3:], "Press Association", "2000-03-10T15:02")
    ders = find_derivations([later, first], workers=1)
    assert [(d.source, d.target) for d in ders] == [("pa1", "pa9")]
    assert ders[0].evidence.own_copy == {"outlet": "Press Association", "source_day": "2000-03-01",
                                         "target_day": "2000-03-10"}
    kept, own = split_own_reuse(ders)
    assert kept == [] and own == ders
    an = Analysis(articles=[first, later], derivations=kept, own_reuse=own).to_dict()
    assert an["derivations"] == [] and an["wire_lineages"] == [] and siblings(kept) == []
    assert [(d["source"], d["target"]) for d in an["own_reuse"]] == [("pa1", "pa9")]
    assert Analysis.from_dict(an).to_dict() == an
    # another outlet re-running the same paragraphs copied them: a derivation
    other = art("mirror9", FOLLOW_UP + PA[3:], "Daily Mirror", "2000-03-10")
    d = find_derivations([other, first], workers=1)
    assert [(x.source, x.target, x.evidence.own_copy) for x in d] == [("pa1", "mirror9", None)]
    # one day's versions of the agency's story are its lineage, not background
    same_day = art("pa1b", FOLLOW_UP + PA[3:], "Press Association", "2000-03-01T17:40")
    d = find_derivations([same_day, first], workers=1)
    assert [(x.source, x.target, x.evidence.own_copy) for x in d] == [("pa1", "pa1b", None)]
    # without dates the days are not known: a derivation, as before
    first.published = later.published = None
    d = find_derivations([later, first], workers=1)
    assert len(d) == 1 and d[0].evidence.own_copy is None


def test_own_reuse_in_the_report_and_the_whole_run(tmp_path):
    import json
    from wiretrace.model import Story
    from wiretrace.pipeline import analyze
    from wiretrace.render.report import render_report
    rows = [{"id": "pa1", "text": "\n\n".join(PA_HEAD + PA), "outlet": "Press Association",
             "published": "2000-03-01T11:29"},
            {"id": "pa9", "text": "\n\n".join(FOLLOW_UP + PA[3:]), "outlet": "Press Association",
             "published": "2000-03-10T15:02"}]
    src = tmp_path / "wire.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    an = analyze([src], db=tmp_path / "w.db").to_dict()
    assert an["derivations"] == []
    assert [(d["source"], d["target"]) for d in an["own_reuse"]] == [("pa1", "pa9")]
    html = render_report(an)
    assert "Own earlier text reused" in html and "background, not copying" in html
    # the outlet's name is escaped like every other article-borne string
    first = art("p1", PA_HEAD + PA, "<i>Wire</i>", "2000-03-01")
    later = art("p9", FOLLOW_UP + PA[3:], "<i>Wire</i>", "2000-03-10")
    own = find_derivations([later, first], workers=1)
    for x in (first, later):
        x.story = "s1"
    html = render_report(Analysis(articles=[first, later], own_reuse=own,
                                  stories=[Story("s1", ["p1", "p9"], origin="p1")]).to_dict())
    assert "&lt;i&gt;Wire&lt;/i&gt;" in html and "<i>Wire</i>" not in html


def test_an_agency_copy_is_preferred_to_a_same_day_rewrite_of_it():
    # PA's copy, timed; two papers of that day (dates only).  The Express adds a
    # paragraph the Mirror also has (a later PA take the corpus lacks): the Mirror
    # follows the Express more closely than PA, but nothing dates the Express first.
    later_take = ["Ellison wept in the dock as the sentence was read and her husband shouted that she had been made a scapegoat by the bank.",
                  "Outside court her solicitor said she would consider an appeal against the length of the sentence.",
                  "The bank's regional director apologised to the families and promised that every penny would be repaid within a month."]
    pa = art("pa", PA_HEAD + PA, "Press Association", "2000-03-01T11:29")
    express = art("ex", paper(later_take), "Daily Express", "2000-03-01")
    mirror = art("mi", [PA[0], PA[1], PA[4], *later_take, *N1_OWN], "Daily Mirror", "2000-03-01")
    ders = {(d.source, d.target): d for d in find_derivations([pa, express, mirror], workers=1)}
    assert set(ders) == {("pa", "ex"), ("pa", "mi")}
    # which of the two papers counts as the other's would-be source is up to the
    # text; either way it is set aside, and the reason is told
    told = {k: [x.article for x in (d.evidence.set_aside or [])] for k, d in ders.items()}
    assert told in ({("pa", "ex"): [], ("pa", "mi"): ["ex"]}, {("pa", "ex"): ["mi"], ("pa", "mi"): []})
    k = next(k for k, v in told.items() if v)
    why = why_source(ders[k].to_dict())
    assert "same-day text" in why and told[k][0] in why
    # the contract round-trips the new key
    an = Analysis(articles=[pa, express, mirror], derivations=list(ders.values())).to_dict()
    back = Analysis.from_dict(an).to_dict()
    assert back["derivations"] == an["derivations"]
    from wiretrace.model import Story
    from wiretrace.render.report import render_report
    for x in (pa, express, mirror):
        x.story = "s1"
    html = render_report(Analysis(articles=[pa, express, mirror], derivations=list(ders.values()),
                                  stories=[Story("s1", ["pa", "ex", "mi"], origin="pa")]).to_dict())
    assert "Same-day text set aside for the agency copy" in html
    assert re.search(r"the agency(&#(39|x27);|')s copy, explains it on its own", html)
    # the Express dated the day before: it was first, and the Mirror's source
    express.published = "2000-02-29"
    got = {(d.source, d.target) for d in find_derivations([pa, express, mirror], workers=1)}
    assert ("ex", "mi") in got
    # a re-post of the Express (nearly all of its text) stays the Express's copy
    express.published = "2000-03-01"
    repost = art("rp", express.text.split("\n\n"), "Daily Express Online", "2000-03-01")
    got = {(d.source, d.target) for d in find_derivations([pa, express, repost], workers=1)}
    assert ("ex", "rp") in got or ("rp", "ex") in got


def test_an_agency_copy_shared_by_two_same_day_rewrites_is_their_source_jointly():
    # PA's copy, timed, holds the judge's words; two papers of that day (dates only)
    # carry those words and three paragraphs of a later PA take the corpus lacks.  PA
    # alone explains too little of either paper (one quoted sentence) to be its
    # source, but the text the papers share is partly PA's: the day's text flows from
    # PA, so neither paper is the other's source.
    judge = '"You betrayed the trust of people who relied on you to look after their savings," Judge Peter Crawley told her.'
    later_take = ["Ellison wept in the dock as the sentence was read and her husband shouted that she had been made a scapegoat by the bank.",
                  "Outside court her solicitor said she would consider an appeal against the length of the sentence.",
                  "The bank's regional director apologised to the families and promised that every penny would be repaid within a month."]
    pa = art("pa", PA_HEAD + [PA[0], PA[1], judge, *PA[3:]], "Press Association", "2000-03-01T11:29")
    express = art("ex", ["A cashier who robbed pensioners is behind bars.", judge, *later_take, *N2_OWN], "Daily Express", "2000-03-01")
    mirror = art("mi", ["Pensioners' savings were plundered by a bank worker, a court heard.", judge, *later_take, *N1_OWN],
                 "Daily Mirror", "2000-03-01")
    ders = {(d.source, d.target): d for d in find_derivations([pa, express, mirror], workers=1)}
    # both papers: whichever the text makes the other's would-be source, each is the
    # other's set-aside rewrite
    assert set(ders) == {("pa", "ex"), ("pa", "mi")}
    assert all(d.evidence.joint_with_set_aside for d in ders.values())
    told = {t: [x.article for x in (d.evidence.set_aside or [])] for (_, t), d in ders.items()}
    assert told == {"ex": ["mi"], "mi": ["ex"]}
    why = why_source(ders[("pa", "mi")].to_dict())
    assert "too little" in why and "ex" in why
    back = Analysis.from_dict(Analysis(articles=[pa, express, mirror], derivations=list(ders.values())).to_dict())
    assert all(x.evidence.joint_with_set_aside for x in back.derivations)
    # the papers without PA's words: nothing shows the day's text flowing from PA,
    # and what the two share is one paper's text in the other
    express.text = express.text.replace(judge, "The judge said she had betrayed everyone.")
    mirror.text = mirror.text.replace(judge, "The judge was scathing about what she had done.")
    got = {(d.source, d.target) for d in find_derivations([pa, express, mirror], workers=1)}
    assert got in ({("ex", "mi")}, {("mi", "ex")})
    # PA's words in the papers, but the Express dated the day before: it was first
    express.text = express.text.replace("The judge said she had betrayed everyone.", judge)
    mirror.text = mirror.text.replace("The judge was scathing about what she had done.", judge)
    express.published = "2000-02-29"
    got = {(d.source, d.target) for d in find_derivations([pa, express, mirror], workers=1)}
    assert ("ex", "mi") in got


def test_wire_marks_the_cleaner_removed_still_mark_the_copy(tmp_path):
    # a crawl with neither outlets nor dates, read as files are read: the cleaner
    # takes PA's headline, byline, operator note and sign-off off the text, and
    # they still mark PA's copies (wire-dev with every outlet removed read PA's
    # copies as nobody's: 81 of its PA/newspaper pairs pointed the wrong way)
    import json
    from wiretrace.pipeline import analyze
    first = ["(with pictures)", *PA_HEAD, *PA[:4], "end"]
    # a continuation take: no headline, no byline, only the desk's marks
    more = ["(reopens)", PA[4], PA[5], "The judge said Ellison had shown remorse and had repaid 40,000 pounds before the trial began.",
            "Ellison's sister, who held the account, was cleared of handling stolen money at an earlier hearing.", "mfl"]
    later_paper = ["Pensioners' savings of 412,000 pounds went on holidays in Barbados and a caravan, a court heard yesterday.",
                   "Most of the money was spent on holidays in Barbados, a caravan in Norfolk and gambling on horse racing, the prosecutor said.",
                   PA[4], "The judge said Ellison had shown remorse and had repaid 40,000 pounds before the trial began.",
                   "Her neighbours in Pinner said she had always seemed a quiet and generous woman."]
    rows = [{"id": "n1", "text": "\n\n".join(paper(N1_OWN))}, {"id": "pa1", "text": "\n\n".join(first)},
            {"id": "n2", "text": "\n\n".join(later_paper)}, {"id": "pa2", "text": "\n\n".join(more)}]
    src = tmp_path / "crawl.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    an = analyze([src], db=tmp_path / "w.db").to_dict()
    arts = {a["id"]: a for a in an["articles"]}
    # the marks are off the text, kept as removed lines
    assert "By Ann Roe, Crime Correspondent, PA News" not in arts["pa1"]["text"]
    assert "mfl" in arts["pa2"]["removed"] and "(reopens)" in arts["pa2"]["removed"]
    # the byline names the outlet, marked as read off it
    assert arts["pa1"]["outlet"] == "Press Association"
    assert arts["pa1"]["outlet_source"] == {"how": "byline", "inferred": True,
                                            "from": "byline (By Ann Roe, Crime Correspondent, PA News)"}
    assert outlet_label(arts["pa1"]) == ("Press Association (inferred from byline "
                                         "(By Ann Roe, Crime Correspondent, PA News))")
    assert arts["n1"]["outlet"] is None and arts["pa2"]["outlet"] is None
    ders = {(d["source"], d["target"]): d for d in an["derivations"]}
    assert ("pa1", "n1") in ders and ("n1", "pa1") not in ders
    assert ders[("pa1", "n1")]["evidence"]["direction"] == "wire"
    assert ders[("pa1", "n1")]["evidence"]["direction_votes"]["wire"].startswith("byline: By Ann Roe")
    # the continuation take, known as wire copy by its note or its sign-off only
    assert ("pa2", "n2") in ders and ("n2", "pa2") not in ders
    assert ders[("pa2", "n2")]["evidence"]["direction_votes"]["wire"] in ("operator-note: (reopens)", "sign-off: mfl")
    # the reason in words, as the report and the web app show it
    assert why_source(ders[("pa1", "n1")]).startswith(
        "an agency's own copy (its wire byline \u201cBy Ann Roe, Crime Correspondent, PA News\u201d)")
    assert why_source(ders[("pa2", "n2")]).startswith(("an agency's own copy (the wire desk's note \u201c(reopens)\u201d)",
                                                      "an agency's own copy (it ends on the wire sign-off \u201cmfl\u201d)"))


def test_a_sign_off_marks_wire_copy_and_a_menu_word_does_not():
    from wiretrace.trace.direction import sign_off
    take = Article(id="t", text="\n\n".join(PA[:3]), removed=["(reopens)", "mf"])
    assert sign_off(take) == "mf"
    assert wire_copy(take) == {"how": "operator-note", "cue": "(reopens)", "agency": None}
    bare = Article(id="b", text="\n\n".join(PA[:3]), removed=["ends"])
    assert wire_copy(bare) == {"how": "sign-off", "cue": "ends", "agency": None}
    # a page's "More" / "END" link, or a sign-off with a newspaper's name on it, is no wire mark
    page = Article(id="p", text="\n\n".join(PA[:3]), removed=["Home", "News", "More", "END"])
    assert sign_off(page) is None and wire_copy(page) is None
    paper_page = Article(id="q", text="\n\n".join(PA[:3]), removed=["end"], outlet="Daily Mirror")
    assert wire_copy(paper_page) is None


def test_version_marks_order_one_chain_only():
    # "(reopens)" on a continuation filed at 13:00 is not later than another story
    # the desk filed at 17:00 under its own headline: containment decides, not the mark
    other = Article(id="other", title="JUDGE ATTACKS BANK OVER DORMANT ACCOUNTS",
                    text="\n\n".join(PA[3:] + ["The judge said the bank had failed to check accounts nobody had touched for years."]),
                    outlet="Press Association")
    cont = Article(id="cont", text="\n\n".join(PA[3:5]), removed=["(reopens)", "mfl"], outlet="Press Association")
    d = find_derivations([other, cont], workers=1)
    assert [(x.source, x.target) for x in d] == [("cont", "other")]
    assert d[0].evidence.direction == "wire-update"
    # under one headline, a correction is later than the take it corrects, whatever the text
    orig = Article(id="orig", title=PA_HEAD[0], text="\n\n".join(PA), outlet="Press Association")
    corr = Article(id="corr", title=PA_HEAD[0], text="\n\n".join(PA[:4]),
                   removed=["(corrected repetition - amends age in 2nd par)", PA_HEAD[0], PA_HEAD[1]],
                   outlet="Press Association")
    d = find_derivations([corr, orig], workers=1)
    assert [(x.source, x.target, x.evidence.direction) for x in d] == [("orig", "corr", "wire-version")]


def test_the_desks_preview_comes_before_its_report():
    # no dates, no marks between them: the overnight preview carries more of the
    # background than the first quick take of the ruling, so containment alone
    # would take the ruling as the earlier; the preview's lead tells the event ahead
    background = [
        "North and East Devon Health Authority challenged a High Court ruling last year that it had acted unlawfully.",
        "The authority had moved Pamela Coughlan, 55, from a home it had promised would be hers for life.",
        "Miss Coughlan was left tetraplegic after a road accident in 1971 and has lived in care ever since.",
        "Health authorities say the case could decide who pays for nursing care for thousands of elderly people.",
    ]
    prev = Article(id="preview", outlet="Press Association", text="\n\n".join(
        ["The Court of Appeal will rule today on a legal battle over long-term care which could cost the Government millions of pounds.",
         *background,
         "Lawyers for the Department of Health have said a ruling against the authority would stretch budgets across England."]))
    ruling = Article(id="ruling", outlet="Press Association", text="\n\n".join(
        ["The Government was spared extra NHS bills estimated at millions of pounds a year today after a Court of Appeal judgment.",
         *background[:3]]))
    d = find_derivations([ruling, prev], workers=1)
    assert [(x.source, x.target) for x in d] == [("preview", "ruling")]
    ev = d[0].evidence
    assert ev.direction == "wire-preview" and ev.direction_votes["wire-preview"].startswith("The Court of Appeal will rule today")
    assert why_source(d[0].to_dict()).startswith("the wire's preview of the day's event, filed before its report (The Court")
    # "the hearing is due to last five days" is no preview: nothing is told of today
    from wiretrace.trace.direction import preview
    assert not preview(Article(id="x", text="The extradition hearing is due to last five days and will be complex."))
    # the overnight copy for the morning tells the day in the progressive
    assert preview(Article(id="x", text="A jury was today resuming its deliberations in the trial of a shopkeeper."))
    assert preview(Article(id="x", text="Myra Hindley was making her latest bid for freedom at the House of Lords today."))
    # ... unless "today" belongs to another clause: the report of what was said
    assert not preview(Article(id="x", text="The singer was talking about a return to the stage, an inquest heard today."))
    assert not preview(Article(id="x", text="A motorist who was speeding at 100mph was jailed today for causing death."))
    # a newspaper's lead never orders two outlets this way: the rule is for one agency's copies
    paper_prev = Article(id="paper", outlet="Daily Mirror", text=prev.text)
    d = find_derivations([ruling, paper_prev], workers=1)
    assert all(x.evidence.direction != "wire-preview" for x in d)


SYND_BODY = [
    "WASHINGTON (AP) — The Senate on Tuesday approved a bill that would expand veterans' access to private doctors, sending the measure to the president's desk after months of negotiation.",
    "The legislation, passed 92-5, consolidates several existing programs and gives veterans the option of seeing a private physician when wait times at Veterans Affairs facilities exceed 30 days.",
    "Sen. Johnny Isakson, the Georgia Republican who chairs the Veterans Affairs Committee, said the bill \"keeps our promise to those who served.\"",
    "Critics, including several veterans' groups, warned that the measure could drain money from the VA's own hospitals over time.",
    "The House passed the bill last week by a wide margin. The White House has said the president will sign it.",
]
SYND_HEAD = ["Senate approves veterans health care bill", "By ALAN FRAM, Associated Press"]


def test_two_sites_running_one_agency_story_are_siblings_not_copies(tmp_path):
    # three papers' sites run AP's story, each cut its own way; AP's own page is not
    # in the crawl.  The Miami Herald did not copy the Seattle Times: both ran AP.
    import json
    from wiretrace.pipeline import analyze
    from wiretrace.render.report import render_report
    local = "Minnesota has about 320,000 veterans, and the Minneapolis VA hospital has reported some of the region's longest waits."
    rows = [{"id": "seattle", "url": "https://www.seattletimes.com/nation/vets", "published": "2018-05-23T18:40:00Z",
             "text": "\n\n".join(SYND_HEAD + SYND_BODY[:2] + SYND_BODY[3:])},
            {"id": "miami", "url": "https://www.miamiherald.com/news/vets", "published": "2018-05-23T19:05:00Z",
             "text": "\n\n".join(SYND_HEAD + SYND_BODY[:4])},
            {"id": "strib", "url": "https://www.startribune.com/vets", "published": "2018-05-23T20:12:00Z",
             "text": "\n\n".join(SYND_HEAD + SYND_BODY + [local])}]
    src = tmp_path / "crawl.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    an = analyze([src], db=tmp_path / "w.db").to_dict()
    assert an["derivations"] == [] and an["own_reuse"] == []
    sibs = {(s["a"], s["b"]): s for s in an["siblings"]}
    assert sibs and all(s["source"] is None and s["agency"] == "Associated Press" and s["share"] > 0.5
                        for s in sibs.values())
    assert ("miami", "seattle") in sibs
    assert len({a["story"] for a in an["articles"]}) == 1
    html = render_report(an)
    assert "both run <bdi>Associated Press</bdi>&#8217;s copy" in html and "neither copied the other" in html
    # with AP's own copy in the corpus, each site derives from it and they are siblings through it
    rows.append({"id": "ap", "outlet": "Associated Press", "published": "2018-05-23T18:02:00Z",
                 "text": "\n\n".join(SYND_HEAD + SYND_BODY)})
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    an = analyze([src], db=tmp_path / "w2.db").to_dict()
    assert {(d["source"], d["target"]) for d in an["derivations"]} == {("ap", "seattle"), ("ap", "miami"), ("ap", "strib")}
    assert an["siblings"] and all(s["source"] == "ap" for s in an["siblings"])


def test_a_site_naming_the_paper_it_took_the_agency_story_from_copied_it():
    # the same AP story, but the second site says where it took it: a derivation stays
    first = Article(id="seattle", text="\n\n".join(SYND_HEAD + SYND_BODY), outlet="The Seattle Times",
                    published="2018-05-23T18:40:00Z")
    second = Article(id="blog", text="\n\n".join(SYND_HEAD + SYND_BODY[:4] + ["This story first appeared in The Seattle Times."]),
                     outlet="Valley Veterans Blog", published="2018-05-24T08:00:00Z")
    d = find_derivations([second, first], workers=1)
    assert [(x.source, x.target, x.evidence.carried) for x in d] == [("seattle", "blog", None)]
    # without the credit the pair is kept apart, with both bylines named
    second.text = "\n\n".join(SYND_HEAD + SYND_BODY[:4])
    d = find_derivations([second, first], workers=1)
    assert [(x.source, x.target) for x in d] == [("seattle", "blog")]
    assert d[0].evidence.carried == {"agency": "Associated Press",
                                     "source_cue": "byline: By ALAN FRAM, Associated Press",
                                     "target_cue": "byline: By ALAN FRAM, Associated Press"}
    # a kept dateline alone does not make a carrier: copiers keep datelines
    for a in (first, second):
        a.text = "\n\n".join(SYND_BODY[:4])
    d = find_derivations([second, first], workers=1)
    assert [(x.source, x.target, x.evidence.carried) for x in d] == [("seattle", "blog", None)]


def test_siblings_come_from_derivations_and_carriers_not_from_own_reuse():
    from wiretrace.model import Derivation, Evidence, SharedSibling
    from wiretrace.trace.relations import siblings
    ev = lambda **kw: Evidence("published", 0.5, 3, 40, **kw)
    der = Derivation("pa", "mirror", "partially", False, 0.6, evidence=ev(siblings=[SharedSibling("sun", 0.9)]))
    own = Derivation("tel1", "tel2", "partially", False, 0.2, evidence=ev(
        own_copy={"outlet": "The Daily Telegraph", "source_day": "1999-11-22", "target_day": "1999-12-08"},
        siblings=[SharedSibling("times", 0.8)]))
    carried = Derivation("seattle", "miami", "partially", False, 0.7, evidence=ev(
        carried={"agency": "Associated Press", "source_cue": "byline: By A, AP", "target_cue": "byline: By A, AP"}))
    got = [s.to_dict() for s in siblings([der], [own, carried])]
    assert got == [{"a": "miami", "b": "seattle", "source": None, "shared_in_source": None,
                    "agency": "Associated Press", "share": 0.7},
                   {"a": "mirror", "b": "sun", "source": "pa", "shared_in_source": 0.9}]
    # a pair both ways keeps its common source
    both = Derivation("pa", "seattle", "partially", False, 0.5, evidence=ev(siblings=[SharedSibling("miami", 0.9)]))
    assert [s.source for s in siblings([both], [carried])] == ["pa"]


def test_clauses_kept_word_for_word_from_an_agency_copy_make_a_partial_rewrite():
    # A paper rewrote every sentence of PA's copy but kept two of its clauses word
    # for word: no sentence of it is PA's at 0.8, yet it is PA's copy, partially.
    rewrite = [
        "Jailed yesterday for six years, the quiet clerk had moved money from dormant accounts belonging to pensioners into a secret fund, a packed court in London was told by the prosecution.",
        "It was only when officers traced the transfers after an 86-year-old widow queried a missing deposit that the bank called in outside help, sources close to the case said.",
        *N1_OWN,
    ]
    pa = art("pa", PA_HEAD + PA, "Press Association", "2000-03-01T11:29")
    mirror = art("mi", rewrite, "Daily Mirror", "2000-03-02")
    ders = find_derivations([pa, mirror], workers=1)
    assert [(d.source, d.target, d.kind) for d in ders] == [("pa", "mi", "partially")]
    covered = [mirror.text[p.target_start:p.target_end] for p in ders[0].passages]
    assert any("dormant accounts belonging to pensioners" in c for c in covered)
    assert any("86-year-old widow queried a missing deposit" in c for c in covered)
    # the passage of a clause is the clause, not the sentence that holds it
    assert "moved money from dormant accounts belonging to pensioners into" in covered
    assert ders[0].evidence.kept_clauses >= 16
    assert "kept word for word" in why_source(ders[0].to_dict())
    # between two papers the same clauses are what competitors share through the
    # agency: no derivation on them alone
    mail = art("ma", PA, "Daily Mail", "2000-03-01")
    assert find_derivations([mail, mirror], workers=1) == []
    # and a quoted clause is no run: the same words inside quotation marks do not count
    quoted = [re.sub(r"(moved money from dormant accounts belonging to pensioners into)", r'"\1"', rewrite[0]),
              re.sub(r"(traced the transfers after an 86-year-old widow queried a missing deposit)", r'"\1"', rewrite[1]),
              *N1_OWN]
    assert find_derivations([pa, art("mq", quoted, "Daily Mirror", "2000-03-02")], workers=1) == []


def test_a_run_is_unquoted_consecutive_and_holds_content_words():
    from wiretrace.reuse import align as al
    src = al.prepare("Detectives traced the transfers after an elderly widow queried a missing deposit last spring.")
    bg = src.unit_bigrams[0]
    toks = "officers traced the transfers after an elderly widow queried a missing deposit".split()
    assert al._longest_run(toks, [False] * len(toks), bg) == (11, 1)
    # quoted tokens break it
    q = [False] * 5 + [True] + [False] * 6
    assert al._longest_run(toks, q, bg) == (6, 6)
    # a stretch of stopwords and one content word is no run
    src2 = al.prepare("It was one of the first of the things that had been done at the time.")
    t2 = "and it was one of the first of the days".split()
    assert al._longest_run(t2, [False] * len(t2), src2.unit_bigrams[0]) == (0, 0)


def test_versions_of_one_agency_copy_are_read_together():
    # PA's first take and its update: the update carries the take's middle paragraphs
    # forward under a new lead and drops one of its sentences.  A paper took one
    # sentence that only the first take has and one that only the update has: no
    # version explains enough of it alone, the lineage does.
    # (8 and 11 words: the derivation test asks for 12 outside quotes)
    only_first = "Ellison wept quietly as the sentence was read."
    only_update = "Her sister Joan was cleared of handling the stolen bank cash."
    take1 = art("t1", PA_HEAD + PA[:4] + [only_first], "Press Association", "2000-03-01T11:29")
    take2 = art("t2", PA_HEAD + ["A bank clerk who stole from pensioners was jailed for six years today, and her sister was cleared."]
                + PA[1:4] + [only_update], "Press Association", "2000-03-01T13:05")
    paper_text = ["Tears flowed at Southwark as the law finally caught up with a thief.", only_first,
                  "A jury took less than an hour to reach its verdict on her co-accused.", only_update, *N1_OWN]
    mirror = art("mi", paper_text, "Daily Mirror", "2000-03-01")
    ders = {(d.source, d.target): d for d in find_derivations([take1, take2, mirror], workers=1)}
    into = {s: d for (s, t), d in ders.items() if t == "mi"}
    assert into, "the paper is derived from the wire story"
    assert set(into) <= {"t1", "t2"}
    for s, d in into.items():
        assert d.evidence.with_versions == [x for x in ("t1", "t2") if x != s]
        assert "versions of one agency story" in why_source(d.to_dict())
    assert ("t1", "t2") in ders                       # the lineage itself
    # the first take and the paper share one sampled fingerprint: a candidate pair
    # because one of the two is an agency copy (derive.AGENCY_MIN_SHARED)
    texts = [a.text for a in (take1, take2, mirror)]
    assert (0, 2) not in {(i, j) for i, j, _ in text_candidates(texts)}
    assert (0, 2) in {(i, j) for i, j, _ in text_candidates(texts, 1, agency_flags([take1, take2, mirror]))}
    # one version alone is too little: the sentence it shares is not a copy of it
    assert [d for d in find_derivations([take1, mirror], workers=1) if d.target == "mi"] == []
    # a version that explains enough on its own is read alone, as before
    mirror.text = "\n\n".join([PA[1], PA[2], only_update, *N1_OWN])
    got = [d for d in find_derivations([take1, take2, mirror], workers=1) if d.target == "mi"]
    assert [d.source for d in got] == ["t2"] and got[0].evidence.with_versions is None
    # an agency copy is never read so: the versions of another agency's story in it are its own business
    reuters = art("rt", paper_text, "Reuters", "2000-03-01T15:00")
    assert [d for d in find_derivations([take1, take2, reuters], workers=1) if d.target == "rt"] == []


HEARING_BG = [
    "The banker was arrested at a hotel in Leeds in March while on a business trip, at the request of a Norwegian prosecutor.",
    "The prosecutor's file describes forged loan papers, shell companies in three countries and pension funds emptied over six years.",
    "The former banker, on bail at a rented flat near the city centre, is not attending the hearing at the magistrates' court.",
]


def test_a_moved_day_orders_two_agency_copies_and_sets_them_apart(tmp_path):
    from wiretrace.model import Story
    from wiretrace.model.derivation import split_own_reuse
    from wiretrace.render.report import render_report
    from wiretrace.trace.direction import day_shift
    # no dates: PA's first-day report, long, and its second-day preview, short,
    # which re-runs the first day's background and tells its news "on Monday".
    # The second day is the more contained in the other, so containment alone
    # (the order of a take and its update) would read it as the earlier.
    opening = "Today Ruth Hale QC, opening the case for Norway, told the court that the charges were some of the gravest fraud ever heard in England."
    day1 = art("day1", ["The extradition hearing of a former investment banker opened in Leeds today with 28 charges of fraud read out.",
                        opening, *HEARING_BG,
                        "Ms Hale said treaties between the two countries had long covered fraud on this scale and the court must apply them.",
                        "Former clients of the bank gathered in large numbers in the street outside to hear the charges read."],
               "Press Association")
    day2 = art("day2", ["The banker's lawyers will argue in court today that Norway's extradition request is flawed.",
                        opening.replace("Today Ruth Hale QC", "On Monday, Ruth Hale QC"), *HEARING_BG],
               "Press Association")
    ders = find_derivations([day2, day1], workers=1)
    assert [(d.source, d.target) for d in ders] == [("day1", "day2")]
    ev = ders[0].evidence
    assert ev.direction == "deixis" and ev.direction_votes == {"deixis": 1}
    assert ev.own_copy["outlet"] == "Press Association"
    assert ev.own_copy["source_day"] is None and ev.own_copy["target_day"] is None
    assert ev.own_copy["day_shift"]["source"].startswith("Today Ruth Hale")
    assert ev.own_copy["day_shift"]["target"].startswith("On Monday, Ruth Hale")
    kept, own = split_own_reuse(ders)
    assert kept == [] and own == ders
    an = Analysis(articles=[day1, day2], own_reuse=own, stories=[Story("s1", ["day1", "day2"], origin="day1")])
    for a in an.articles:
        a.story = "s1"
    html = render_report(an.to_dict())
    assert "the day moved" in html and "On Monday, Ruth Hale" in html
    # a weekday both texts carry ("will rule on Monday") moves no day
    assert day_shift([("A judge said today he would rule on Monday morning.", "The judge said he would rule on Monday morning.")]) == 0
    # a weekday starting the sentence is a weekday all the same
    assert day_shift([("Today the court heard the charges.", "On Monday the court heard the charges.")]) == 1
    # "tomorrow" becomes "today", a weekday or "yesterday" a day later; both saying it moves nothing
    assert day_shift([("He will be sentenced tomorrow.", "He will be sentenced today.")]) == 1
    assert day_shift([("He was sentenced yesterday.", "He will be sentenced tomorrow.")]) == -1
    assert day_shift([("He will be sentenced tomorrow.", "He is to be sentenced tomorrow.")]) == 0
    # one day's take and update (no day moved) stay a wire lineage
    update = art("day1b", ["Lawyers for Spain detailed 35 torture charges against the former dictator at his extradition hearing today.",
                           opening, *HEARING_BG], "Press Association")
    d = find_derivations([update, day1], workers=1)
    assert len(d) == 1 and d[0].evidence.own_copy is None


def test_one_papers_own_undated_texts_are_not_copies_of_each_other():
    first = art("tel1", paper([*N1_OWN]), "The Daily Telegraph")
    second = art("tel2", [*N2_OWN, *paper([])[1:4]], "The Daily Telegraph")
    d = find_derivations([second, first], workers=1)
    assert len(d) == 1 and d[0].evidence.own_copy == {"outlet": "The Daily Telegraph", "source_day": None,
                                                      "target_day": None}
    # dated to one day, they are two versions of the paper's story: a derivation as before
    first.published = second.published = "2000-03-02"
    d = find_derivations([second, first], workers=1)
    assert len(d) == 1 and d[0].evidence.own_copy is None
    # two papers, undated: who copied whom is the question
    first.published = second.published = None
    second.outlet = "Daily Mail"
    d = find_derivations([second, first], workers=1)
    assert len(d) == 1 and d[0].evidence.own_copy is None


def test_an_aggregators_pages_are_not_one_outlets_own_text():
    # two MSN pages: one the agency's story, the other a site's rewrite of it that MSN
    # also carries; the shared outlet is the host, not the writer
    first = art("msn1", PA, "MSN", "2000-03-01")
    later = art("msn2", paper([*N1_OWN]), "MSN", "2000-03-03")
    d = find_derivations([later, first], workers=1)
    assert [(x.source, x.target, x.evidence.own_copy) for x in d] == [("msn1", "msn2", None)]
    first.published = later.published = None
    d = find_derivations([later, first], workers=1)
    assert [(x.source, x.target, x.evidence.own_copy) for x in d] == [("msn1", "msn2", None)]
    # a paper's page running an agency's story under the agency's byline is the agency's text
    first.outlet = later.outlet = "The Seattle Times"
    first.text = "\n\n".join(["By ANN ROE, Associated Press", *PA])
    first.published, later.published = "2000-03-01", "2000-03-03"
    d = find_derivations([later, first], workers=1)
    assert [(x.source, x.target, x.evidence.own_copy) for x in d] == [("msn1", "msn2", None)]
    # a newspaper's own pages of two days are its own text, as before
    first.text = "\n\n".join(PA)
    first.outlet = later.outlet = "The Guardian"
    first.published, later.published = "2000-03-01", "2000-03-03"
    d = find_derivations([later, first], workers=1)
    assert d[0].evidence.own_copy == {"outlet": "The Guardian", "source_day": "2000-03-01", "target_day": "2000-03-03"}
