from wiretrace.framing.quote_groups import describe_changes, group_quotes, same_quote
from wiretrace.model import Article, Quote

BASE = "We will keep working to coordinate with the river authority, but we clearly have no plan to close the upper locks"


def _art(aid, quotes, published=None):
    return Article(id=aid, text="", published=published,
                   quotes=[Quote(t, 0, len(t), sp, "said") for t, sp in quotes])


def test_variants_grouped_and_described():
    arts = [
        _art("b", [(BASE.replace("coordinate", "co-ordinate") + ".", "Nora Blake")], "2020-01-02T00:00:00Z"),
        _art("a", [(BASE + ",", "Nora Blake"), ("An unrelated remark about the weather and the rain today", "Tim Roe")],
             "2020-01-01T00:00:00Z"),
        _art("c", [(BASE.replace("river authority", "river authority [RBA]"), "Blake")], "2020-01-03T00:00:00Z"),
        _art("d", [(BASE.replace("clearly ", ""), "Ivo Marsh")], "2020-01-04T00:00:00Z"),
        _art("e", [(" ".join(BASE.split()[:9]), "Blake")], "2020-01-05T00:00:00Z"),
    ]
    groups = group_quotes(arts)
    assert len(groups) == 1
    g = groups[0]
    assert g.id == "q1"
    assert g.text == BASE + ","          # canonical: earliest published
    m = {x.article: x for x in g.members}
    assert set(m) == {"a", "b", "c", "d", "e"}
    assert m["a"].variant == "verbatim" and m["a"].changes == []
    assert "coordinate -> co-ordinate" in m["b"].changes and m["b"].variant == "altered"
    assert "inserted [RBA]" in m["c"].changes
    assert "dropped 'clearly'" in m["d"].changes
    assert "truncated" in m["e"].changes
    assert m["a"].quote == 0
    assert g.speaker in ("Nora Blake", "Blake")
    assert g.reattributed is True            # Ivo Marsh vs Nora Blake
    assert "Ivo Marsh" in g.speakers


def test_same_speaker_by_surname_not_reattributed_and_same_article_not_grouped():
    arts = [_art("a", [(BASE, "Nora Blake"), (BASE, "Nora Blake")]),
            _art("b", [(BASE, "Blake")])]
    groups = group_quotes(arts)
    assert len(groups) == 1 and groups[0].reattributed is False
    # two copies inside one article only: no group
    assert group_quotes([_art("a", [(BASE, "X Y"), (BASE, "X Y")])]) == []


def test_distinct_quotes_not_grouped():
    arts = [_art("a", [("The harvest this year was the best since the old mill closed", "A B")]),
            _art("b", [("The budget this year was the worst since the old mayor resigned in shame", "C D")])]
    assert group_quotes(arts) == []
    assert not same_quote("short one here", "another short one")


def test_describe_changes_punctuation_only():
    assert describe_changes("We go now, and fast.", "We go now and fast!") == ["punctuation"]
    assert describe_changes("We go now and fast", "We go now and fast") == []


def test_ids_deterministic_order():
    q1 = "Every single bus in the northern depot will run on batteries by spring"
    q2 = "The tunnel works will close the main road for at least three more weeks"
    arts = [_art("a", [(q2, "P Q"), (q1, "R S")], "2020-01-01"), _art("b", [(q1, "R S"), (q2, "P Q")], "2020-01-02")]
    gs = group_quotes(arts)
    assert [g.id for g in gs] == ["q1", "q2"]
    assert gs[0].text == q2 and gs[1].text == q1


def test_description_and_pronoun_speakers_do_not_count_as_reattribution():
    arts = [_art("a", [(BASE, "Nora Blake")]), _art("b", [(BASE, "the minister")]), _art("c", [(BASE, "she")])]
    [g] = group_quotes(arts)
    assert g.reattributed is False
    assert g.speaker == "Nora Blake"
