import json
from pathlib import Path

from wiretrace.model import Article, Derivation
from wiretrace.stories import assign_new, find_origin, group_stories

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "stories"


def load(with_meta=True):
    arts = []
    for line in (FIX / "corpus.jsonl").read_text("utf-8").splitlines():
        r = json.loads(line)
        arts.append(Article(id=r["id"], text=r["text"], title=r["title"],
                            published=r["published"] if with_meta else None,
                            outlet=r["outlet"] if with_meta else None))
    return arts


def story_of(arts):
    return {a.id: a.story for a in arts}


FILLER_TOPICS = [
    ("Orchestra opens its winter season", "The Halvard orchestra opened its season with a cello concerto conducted by Petra Lind."),
    ("Ferry fares to rise in June", "The Saltmere ferry operator will raise fares by five percent from June, citing fuel costs."),
    ("Library extends weekend hours", "The Brookfield public library will stay open until eight on Saturdays, the trustees decided."),
    ("Wheat harvest smaller than expected", "Farmers in the Dunmore plains reported a smaller wheat harvest after a dry summer."),
    ("Museum returns carved masks", "The Oldgate museum returned four carved masks to the island community that made them."),
    ("Cycling race route announced", "Organisers of the Coastal Tour unveiled a route with three mountain stages and a time trial."),
    ("Hospital opens new children's ward", "St Aldric hospital opened a children's ward with forty beds and a play garden."),
    ("Startup raises funds for battery recycling", "Voltcycle, a battery recycling startup, raised 20 million from investors led by Greyrock."),
    ("Council approves tram extension", "Marlow city council approved a four-stop extension of the tram line to the harbour district."),
    ("Zoo welcomes twin panda cubs", "Keepers at the Ravensworth zoo said the twin panda cubs born last week were healthy."),
]


def filler(n, dated=True):
    """Unrelated background articles so that idf and local levels mean something
    (the first 8 topics repeat when ``n`` > 8, as before the list grew)."""
    out = []
    for k in range(n):
        t, x = FILLER_TOPICS[k % 8] if dated else FILLER_TOPICS[k % len(FILLER_TOPICS)]
        out.append(Article(id=f"f{k}", title=t, text=x,
                           published=f"2023-0{1 + k % 9}-0{1 + k % 9}T12:00:00Z" if dated else None))
    return out


def test_same_event_different_wording_grouped_text_only():
    arts = load(with_meta=False) + filler(8)
    stories, lines = group_stories(arts)
    s = story_of(arts)
    assert s["b1"] == s["b2"]
    assert s["b3"] == s["b4"]
    assert s["b1"] != s["b3"] and s["b5"] not in (s["b1"], s["b3"])
    assert all(a.story and a.storyline for a in arts)
    assert sum(len(x.articles) for x in stories) == len(arts)


def test_dates_separate_similar_events():
    base = "Initial jobless claims in Northbay fell to 212,000 last week, the labour department said on Thursday."
    a = Article(id="c1", title="Northbay jobless claims fall", text=base, published="2023-05-04T12:30:00Z")
    b = Article(id="c2", title="Northbay jobless claims fall", text=base.replace("fell", "dropped"),
                published="2023-05-11T12:30:00Z")
    group_stories([a, b] + filler(6))
    assert a.story != b.story
    # the same two texts without dates are one story
    a2 = Article(id="c1", title=a.title, text=a.text)
    b2 = Article(id="c2", title=b.title, text=b.text)
    group_stories([a2, b2] + filler(6))
    assert a2.story == b2.story


def test_weekdays_mask():
    from wiretrace.stories.features import weekdays
    assert weekdays("The Senate voted on Thursday.") == 1 << 3
    assert weekdays("Thursday's vote, then Friday") == (1 << 3) | (1 << 4)
    assert weekdays("Markets are quiet on Thursdays") == 0      # habitual, not a date
    assert weekdays("no weekday here") == 0 and weekdays(None) == 0


def _harlow(day1, day2):
    a = Article(id="k1", title="Harlow nomination clears procedural hurdle",
                text=f"Senators voted on {day1} to end debate on Mara Harlow's nomination, with two Republicans "
                     "breaking ranks as protesters gathered outside the marble chamber and leaders traded blame "
                     "over procedure, delaying budget talks, farm subsidies and a harbour dredging bill.")
    b = Article(id="k2", title="Senate confirms nominee Harlow after long fight",
                text=f"The chamber on {day2} confirmed Mara Harlow to the appeals bench by a narrow margin, ending "
                     "a months-long fight that divided lawyers, donors and activist groups across several western "
                     "states and drew rare television ads in rural markets.")
    return a, b


def test_weekdays_separate_related_events_without_dates():
    # a procedural vote and the final vote on one nominee, no publication dates:
    # the leads' weekdays tell the two events apart
    a, b = _harlow("Friday", "Saturday")
    group_stories([a, b] + filler(8))
    assert a.story != b.story
    a, b = _harlow("Friday", "Friday")
    group_stories([a, b] + filler(8))
    assert a.story == b.story
    # no weekday in one of them: no weekday term either way
    a, b = _harlow("Friday", "the same day")
    group_stories([a, b] + filler(8))
    assert a.story == b.story


def test_state_round_trip_keeps_weekdays():
    from wiretrace.stories.group import state_from_dict, state_to_dict
    arts = load() + filler(8)
    first = [a for a in arts if a.id not in ("b2", "b4")]
    _, _, state = group_stories(first, return_state=True)
    from wiretrace.store.sqlite import iter_json
    d = json.loads("".join(iter_json(state_to_dict(state))))      # as the store writes it
    st2 = state_from_dict(d)
    assert st2.wdays == state.wdays and [len(w) for w in st2.wdays] == st2.sizes
    assert (st2.sums != state.sums.tocsr()).nnz == 0 and st2.sums.dtype == state.sums.dtype
    # a state stored before weekdays were kept still loads and takes new articles
    d.pop("wdays")
    st3 = state_from_dict(d)
    assert [len(w) for w in st3.wdays] == st3.sizes
    new = [a for a in arts if a.id in ("b2", "b4")]
    assign_new(st3, new)
    assert all(a.story for a in new) and [len(w) for w in st3.wdays] == st3.sizes


def test_derivation_linked_always_together():
    arts = load() + filler(6)
    # b5 shares nothing with b1 but is declared derived from it
    d = Derivation(source="b1", target="b5", kind="partially", credited=False, share=0.2)
    stories, _ = group_stories(arts, [d])
    s = story_of(arts)
    assert s["b1"] == s["b5"] == s["b2"]
    st = next(x for x in stories if x.id == s["b1"])
    assert st.origin == "b1" and st.evidence.origin_by == "derivations"


def test_origin_by_derivations_and_by_date():
    a = Article(id="x", published="2023-01-02T00:00:00Z")
    b = Article(id="y", published="2023-01-01T00:00:00Z")
    c = Article(id="z", published="2023-01-03T00:00:00Z")
    ders = [Derivation("x", "y", "wholly", True, 1.0), Derivation("x", "z", "partially", False, 0.3),
            Derivation("y", "z", "partially", False, 0.2)]
    origin, first, ev = find_origin([a, b, c], ders)
    assert origin == "x" and ev.origin_by == "derivations" and ev.out_edges == 2
    assert first == "2023-01-01T00:00:00Z"
    origin, first, ev = find_origin([a, b, c], [])
    assert origin == "y" and ev.origin_by == "earliest"
    origin, _, ev = find_origin([a], [])
    assert origin == "x" and ev.origin_by == "only-article"
    origin, first, ev = find_origin([Article(id="p"), Article(id="q")], [])
    assert origin is None and first is None


def test_stories_fields_and_first_seen():
    arts = load() + filler(6)
    stories, lines = group_stories(arts)
    st = next(x for x in stories if "b1" in x.articles)
    assert st.origin == "b1" and st.first_seen == "2023-03-14T10:00:00Z"
    assert st.evidence.origin_by == "earliest"
    assert st.title == arts[0].title
    assert [x.id for x in stories] == [f"s{k}" for k in range(1, len(stories) + 1)]
    assert {x.id for x in lines} == {x.storyline for x in stories}
    for ln in lines:
        assert ln.first_seen is None or ln.first_seen <= ln.last_seen


def test_storyline_joins_stories_weeks_apart():
    s1 = Article(id="t1", title="Governor Halloran signs Pinecrest dam budget",
                 text="Governor Marta Halloran signed a budget on Monday that funds repairs to the Pinecrest dam on the "
                      "Ossory river, after engineers warned that its spillway was cracked.",
                 published="2023-04-03T10:00:00Z")
    s2 = Article(id="t2", title="Pinecrest dam repairs begin after months of delay",
                 text="Work crews began repairing the cracked spillway of the Pinecrest dam on the Ossory river on "
                      "Wednesday, weeks after Governor Marta Halloran approved the money.",
                 published="2023-05-24T10:00:00Z")
    arts = [s1, s2] + filler(8)
    stories, lines = group_stories(arts)
    assert s1.story != s2.story                      # weeks apart: two events
    assert s1.storyline == s2.storyline              # one thread
    line = next(x for x in lines if x.id == s1.storyline)
    assert line.stories == [s1.story, s2.story]
    assert line.first_seen == "2023-04-03T10:00:00Z"
    assert line.last_seen.startswith("2023-05-24")
    others = {a.storyline for a in arts[2:]}
    assert s1.storyline not in others


def test_incremental_assignment():
    arts = load() + filler(8)
    first = [a for a in arts if a.id not in ("b2", "b4")]
    stories, lines, state = group_stories(first, return_state=True)
    n_before = len(state.ids)
    b1_story = next(a.story for a in first if a.id == "b1")
    b3_story = next(a.story for a in first if a.id == "b3")
    new = [a for a in arts if a.id in ("b2", "b4")]
    extra = Article(id="n1", title="Chess prodigy wins national title",
                    text="Eleven-year-old Tomas Vereen won the national chess championship in Kestrel on Sunday.",
                    published="2023-03-19T18:00:00Z")
    created = assign_new(state, new + [extra])
    assert new[0].story == b1_story and new[1].story == b3_story
    assert extra.story == f"s{n_before + 1}" and [s.id for s in created] == [extra.story]
    assert "b2" in state.members[state.ids.index(b1_story)]
    assert state.sizes[state.ids.index(b1_story)] == 2


def test_default_path_does_not_import_torch():
    import subprocess
    import sys
    code = ("import sys; from wiretrace.model import Article; from wiretrace.stories import group_stories;"
            "group_stories([Article(id='a', text='Harbour bridge reopens', title='Bridge')]);"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_names_not_read_across_line_breaks():
    from wiretrace.stories.features import entities
    from wiretrace.stories.group import entity_text
    # a headline's last capitalised words and the body's first ones are not one name
    a = Article(id="x", title="Poll Shows Gains For Control Of Congress",
                text="In a troubling sign, Senate Majority Leader Mitch McConnell said Tuesday ...")
    ents = entities(entity_text(a))
    assert not any("congress in" in e or "\n" in e for e in ents), ents
    assert "senate majority leader mitch mcconnell" in ents
    # nor the end of one paragraph and the start of the next
    ents = entities("The award went to Anna Petrova\nLater That Day the jury left.")
    assert "anna petrova" in ents and not any("petrova later" in e for e in ents), ents
    # within a line a multi-word name is still one
    assert "new york city" in entities("Crowds gathered in New York City on Monday.")
