"""find_derivations on small hand-written corpora (tests/fixtures/trace/stories.json)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from wiretrace.model import Article
from wiretrace.trace.credit import credit_cue
from wiretrace.trace.derive import find_derivations

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "trace" / "stories.json"
S = json.loads(FIX.read_text("utf-8"))
F = S["ferry"]

OWN = [  # a copy's own background paragraphs, found in no other article
    "Ferry services along this stretch of coast have been cut back repeatedly since the regional rail line opened in the nineteen nineties.",
    "Several fishing cooperatives on the islands have warned that the loss of a daily crossing would make it harder to sell their catch on the mainland.",
    "Last winter a storm damaged the terminal roof, forcing passengers to wait outside for almost two months while repairs were carried out.",
]


def art(aid, paras, outlet, published):
    return Article(id=aid, text="\n\n".join(paras), outlet=outlet, published=published)


def pairs(ders):
    return {(d.source, d.target) for d in ders}


def by_pair(ders):
    return {(d.source, d.target): d for d in ders}


def original():
    return art("orig", F, "Harbor Gazette", "2021-05-04T08:00:00Z")


def rewrite(aid, published, credit=None):
    """Part of the story, edited, in another order, with background paragraphs."""
    paras = [
        OWN[0],
        F[4].replace("have protested against", "have demonstrated against"),
        F[0].replace("voted on Tuesday", "decided on Tuesday").replace("more than eighty", "over eighty"),
        OWN[1],
        F[3].replace("fewer than", "less than"),
        F[6],
    ]
    if credit:
        paras[2] = paras[2].rstrip(".") + f", {credit} reported."
    return art(aid, paras, "Coastal Daily Wire", published)


def test_verbatim_republication_with_leftovers_is_wholly():
    copy = art("copy", ["Home | News | Sport | Weather", "Ferry terminal to shut", "By Staff Writer",
                        *F[:4], "Share this article", *F[4:7], "Sign up for our newsletter"],
               "Bay Reposter", "2021-05-04T12:00:00Z")           # the last paragraph is missing
    ders = find_derivations([copy, original()])
    assert pairs(ders) == {("orig", "copy")}
    d = ders[0]
    assert d.kind == "wholly"
    assert d.share > 0.85
    assert not d.credited
    assert d.evidence.direction == "published"
    assert all(p.kind == "verbatim" for p in d.passages)
    # offsets point at the copied sentences in both texts
    p = d.passages[0]
    assert copy.text[p.target_start:p.target_end].startswith("The city council of Brennick")
    assert F[0] in original().text[p.source_start:p.source_end]


def test_partial_rewrite_with_substitutions_and_reordering():
    orig, rw = original(), rewrite("rw", "2021-05-05T09:00:00Z")
    ders = find_derivations([orig, rw])
    assert pairs(ders) == {("orig", "rw")}
    d = ders[0]
    assert d.kind == "partially"
    assert 0.4 < d.share < 0.8
    covered = [rw.text[p.target_start:p.target_end] for p in d.passages]
    # every reused sentence is found, whatever its position in the copy
    for needle in ("northern islands", "decided on Tuesday", "less than two thousand", "Tomas Reyes"):
        assert any(needle in c for c in covered), needle
    # own paragraphs are not attributed
    assert not any("rail line" in c or "fishing cooperatives" in c for c in covered)
    kinds = {p.kind for p in d.passages}
    assert "rewritten" in kinds
    # the passages come from out-of-order places in the source
    starts = [p.source_start for p in sorted(d.passages, key=lambda p: p.target_start)]
    assert starts != sorted(starts)


def test_credited_and_uncredited():
    orig = original()
    cred = rewrite("cred", "2021-05-05T09:00:00Z", credit="the Harbor Gazette")
    plain = rewrite("plain", "2021-05-05T10:00:00Z")
    plain.text = plain.text.replace("Tomas Reyes", "Tomas Reyes of the Harbour Party")
    d = by_pair(find_derivations([orig, cred]))[("orig", "cred")]
    assert d.credited and "Harbor Gazette reported" in d.evidence.credit_cue
    d = by_pair(find_derivations([orig, plain]))[("orig", "plain")]
    assert not d.credited


def test_credit_forms():
    src = Article(id="s", text="x", outlet="The Washington Post")
    for text in ("This article originally appeared on the Washington Post.",
                 "Source: WashingtonPost", "The story, the WASHINGTON POST reported, was denied."):
        assert credit_cue(Article(id="t", text=text), src), text
    assert not credit_cue(Article(id="t", text="Washington is a city; the post office closed."), src)
    wire = Article(id="w", text="LONDON (Reuters) - Ministers met on Monday.", outlet="Daily Planet")
    assert credit_cue(Article(id="t", text="Ministers met, according to Reuters."), wire)
    assert not credit_cue(Article(id="t", text="Ministers met on Monday."), wire)


def test_chain_reports_direct_parent_only():
    a = original()
    b = rewrite("b", "2021-05-05T09:00:00Z")
    # c copies b: b's own background paragraph and b's edited wording, plus an edit of its own
    bp = b.text.split("\n\n")
    c = art("c", [bp[1], bp[2], bp[3].replace("fishing cooperatives", "fishing groups"), bp[4],
                  "Travel agents on the mainland said bookings for the summer season had already fallen sharply."],
            "Island Echo", "2021-05-06T09:00:00Z")
    ders = find_derivations([c, a, b])
    assert pairs(ders) == {("orig", "b"), ("b", "c")}


def test_siblings_are_not_linked():
    a = original()
    s1 = art("s1", [F[0], F[1].replace("approved", "backed"), F[2], F[3], OWN[2]], "North Post", "2021-05-04T11:00:00Z")
    s2 = art("s2", [OWN[0], F[0].replace("voted", "decided"), F[3], F[4], F[6]], "South Post", "2021-05-04T15:00:00Z")
    ders = find_derivations([s2, s1, a])
    assert pairs(ders) == {("orig", "s1"), ("orig", "s2")}


def test_shared_quote_only_is_not_a_derivation():
    quote = F[2].split("\u201d")[0] + "\u201d"
    x = art("x", ["Brennick will lose its ferry terminal after a late-night council session on Tuesday.",
                  quote + " Cardoso told reporters outside the town hall.",
                  "Islanders say the decision will cut them off from essential services."],
            "Outlet X", "2021-05-04T09:00:00Z")
    y = art("y", ["The mayor of Brennick defended the plan to shut the waterfront terminal.",
                  quote + " the mayor said in a statement issued after the vote.",
                  "Critics argue that a cheaper repair was never properly considered."],
            "Outlet Y", "2021-05-04T10:00:00Z")
    assert find_derivations([x, y]) == []


def test_patchwork_gets_one_derivation_per_source():
    names = ["orchard", "library", "marathon", "telescope"]
    sources = [art(n, S[n], f"{n.title()} Times", f"2021-0{i + 1}-01T08:00:00Z") for i, n in enumerate(names)]
    picks = [S["orchard"][0], S["library"][1], S["marathon"][0], S["telescope"][2],
             S["orchard"][2].replace("emergency loans", "urgent loans"), S["library"][3]]
    patch = art("patch", ["Trending now", " ".join(picks[:2]), " ".join(picks[2:4]), " ".join(picks[4:])],
                "Content Farm", "2021-06-01T08:00:00Z")
    ders = find_derivations([patch, *sources])
    assert pairs(ders) == {(n, "patch") for n in names}
    assert all(d.kind == "partially" for d in ders)
    d = by_pair(ders)[("telescope", "patch")]
    covered = "".join(patch.text[p.target_start:p.target_end] for p in d.passages)
    assert "ring of cold material" in covered and "apple" not in covered


def test_direction_without_dates_uses_credit():
    orig = original()
    orig.published = None
    rw = rewrite("rw", None, credit="the Harbor Gazette")
    ders = find_derivations([rw, orig])
    assert pairs(ders) == {("orig", "rw")}
    assert ders[0].evidence.direction == "credit"


def test_unrelated_articles_and_tiny_corpus():
    assert find_derivations([]) == []
    assert find_derivations([original()]) == []
    others = [art(n, S[n], "X", "2021-01-01T00:00:00Z") for n in ("orchard", "library")]
    assert find_derivations(others) == []


@pytest.mark.parametrize("n_copies", [3])
def test_many_copies_of_one_source(n_copies):
    a = original()
    copies = [art(f"c{i}", F[: 6 + (i % 2)], f"Reposter {i}", f"2021-05-0{5 + i}T08:00:00Z") for i in range(n_copies)]
    ders = find_derivations([a, *copies])
    # identical re-posts: all explained by the original, none by each other
    assert pairs(ders) == {("orig", c.id) for c in copies}


def test_wire_story_reposted_by_many_sites():
    """Sentences found in many articles are page furniture only when they do not
    travel together: ten re-posts of one story are all derived from it."""
    a = original()
    template = "Sign up for our daily newsletter to get the top headlines delivered to your inbox every morning."
    copies = [art(f"r{i:02d}", ["Latest news", *F[:7], template], f"Reposter {i}", f"2021-05-{5 + i:02d}T08:00:00Z")
              for i in range(10)]
    ders = find_derivations([*copies, a])
    assert pairs(ders) == {("orig", c.id) for c in copies}
    assert all(d.kind == "wholly" for d in ders)


def test_shared_template_lines_alone_are_not_a_derivation():
    template = ["Sign up for our daily newsletter to get the top headlines delivered to your inbox every morning.",
                "We use cookies to improve your experience on our website and to show you relevant advertising.",
                "Our reporters are independent and our journalism is funded by readers like you across the country."]
    arts = [art(n, [*S[n], *template], "Same Site", f"2021-0{i + 1}-01T08:00:00Z")
            for i, n in enumerate(["orchard", "library", "marathon", "telescope"])]
    items = [
        "The county fair opens on Friday with a new livestock hall and an evening concert. Organisers expect "
        "record crowds after two years of cancelled shows. Parking will be free at the north gate for the first time.",
        "A water main burst under the high street, closing two bus routes until the weekend. Engineers said the "
        "pipe was more than a century old. Shops along the street were allowed to stay open during the repairs.",
        "The school board approved a later start to the day for pupils in the upper years. Parents had asked for "
        "the change in a petition signed by several hundred families. The new timetable begins after the holidays.",
        "Volunteers planted four hundred oak saplings along the river path on Saturday morning. The project is "
        "part of a plan to restore woodland that was cleared for farming. More planting days are planned for autumn.",
    ]
    arts += [art(f"x{i}", [it, *template], "Same Site", f"2021-07-0{i + 1}T08:00:00Z") for i, it in enumerate(items)]
    assert find_derivations(arts) == []


def test_credit_needs_the_name_not_a_common_word():
    hill = Article(id="s", text="x", outlet="The Hill")
    assert not credit_cue(Article(id="t", text="Senators returned to Capitol Hill on Monday."), hill)
    assert credit_cue(Article(id="t", text="Senators returned, The Hill reported."), hill)
    pol = Article(id="s", text="x", outlet="Politico")
    assert credit_cue(Article(id="t", text="The news was first reported by POLITICO."), pol)
    assert not credit_cue(Article(id="t", text="It was a politico-military decision."), pol)
    farm = Article(id="s", text="x", outlet="Metro Wire Review")
    assert credit_cue(Article(id="t", text="The news was first reported by metrowirereview.com."), farm)
    assert credit_cue(Article(id="t", text="Body.", removed=["Source: Metrowirereview.com"]), farm)


@pytest.mark.parametrize("cache", [2, 1024])
def test_worker_processes_and_a_small_cache_give_the_same_derivations(monkeypatch, cache):
    """Two forked workers, working through whole groups of pairs (large cache) or
    through all pairs then all targets (a cache of two articles), change nothing:
    memory is bounded, results are not."""
    import wiretrace.trace.derive as derive
    a = original()
    arts = [a, rewrite("rw", "2021-05-05T08:00:00Z", credit="the Harbor Gazette")]
    arts += [art(f"c{i}", F[: 5 + (i % 3)], f"Reposter {i}", f"2021-05-0{6 + i}T08:00:00Z") for i in range(3)]
    arts += [art(n, S[n], "X", "2021-01-01T00:00:00Z") for n in ("orchard", "library")]
    serial_stats: dict = {}
    serial = find_derivations(arts, workers=1, stats=serial_stats)
    assert serial_stats["workers"] == 1 and len(serial) >= 4
    monkeypatch.setattr(derive, "PARALLEL_MIN_PAIRS", 0)
    monkeypatch.setattr(derive, "PARALLEL_MIN_ARTICLES", 0)
    par_stats: dict = {}
    par = find_derivations(arts, workers=2, cache_size=cache, stats=par_stats)
    assert par_stats["workers"] == 2
    if cache == 2:
        assert par_stats["docs_built"] > serial_stats["docs_built"]      # the small cache rebuilt some
    assert [d.to_dict() for d in par] == [d.to_dict() for d in serial]
