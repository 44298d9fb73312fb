"""The distributed pieces of story grouping (wiretrace.spark.stories) against
the local functions they replace, on inputs built to hit their edge cases:
ties, a block boundary, long chains, must-links, negative and gated links."""
from __future__ import annotations

import random

import numpy as np
import pytest

pytest.importorskip("pyspark")

from wiretrace.stories import cluster  # noqa: E402
from wiretrace.stories.features import Vocab  # noqa: E402
from wiretrace.unionfind import DisjointSets  # noqa: E402

pytestmark = pytest.mark.slow


def _matrix(n: int, seed: int):
    """TF-IDF rows of n random documents over a Zipf-like vocabulary, with
    exact duplicates (tied scores) and a few empty documents."""
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(600)]
    weights = [1.0 / (k + 1) for k in range(600)]
    counts = []
    for i in range(n):
        if i % 97 == 5:
            counts.append({})
        elif i % 13 == 7:
            counts.append(dict(counts[i - 1]))
        else:
            c: dict[str, int] = {}
            for w in rng.choices(words, weights, k=rng.randint(3, 40)):
                c[w] = c.get(w, 0) + 1
            counts.append(c)
    v = Vocab().fit(counts)
    return v.transform(counts)


def _nodes(spark, X, extra=None):
    rows = []
    for i in range(X.shape[0]):
        a, b = X.indptr[i], X.indptr[i + 1]
        if b > a:
            rows.append((i, (X.indices[a:b].astype(np.int64), X.data[a:b].copy(), extra and extra[i])))
    return spark.sparkContext.parallelize(rows, 4)


def test_candidate_links_equal_local_pairs(spark):
    from wiretrace.spark.stories import candidate_links

    X = _matrix(cluster.BLOCK + 300, seed=3)          # two blocks
    I, J, cos = cluster.candidate_pairs(X, min_sim=0.05)
    got = sorted(candidate_links(_nodes(spark, X), X.shape[0], 4, min_sim=0.05)
                 .map(lambda t: (t[0], t[1], t[2])).collect())
    want = list(zip(I.tolist(), J.tolist(), cos.tolist()))
    assert len(want) > 5000
    assert got == want                                  # same pairs, same bits


def test_connected_components_match_union_find(spark):
    from wiretrace.spark.stories import connected_components

    rng = random.Random(7)
    edges = [(rng.randrange(3000), rng.randrange(3000)) for _ in range(1500)]
    edges += [(5000 + k, 5001 + k) for k in range(300)]          # a long path: many rounds
    edges += [(9000 - k, 8999 - k) for k in range(200)]          # another, numbered downwards
    edges += [(42, 42)]
    ds = DisjointSets()
    for a, b in edges:
        ds.union(a, b)
    want = {x: ds.find(x) for e in edges for x in e if e[0] != e[1]}
    comp, E = connected_components(spark.sparkContext.parallelize(edges, 4), 4)
    got = dict(comp.collect())
    assert got == want
    assert len(set(want.values())) > 100


def test_linkage_labels_match_average_linkage(spark):
    from wiretrace.spark.stories import linkage_labels

    rng = random.Random(11)
    n = 1500
    pairs = sorted({tuple(sorted(rng.sample(range(n), 2))) for _ in range(6000)})
    W = [rng.choice([-1.0, rng.uniform(-0.3, 0.4), rng.uniform(0.0, 0.12)]) for _ in pairs]
    must = [tuple(rng.sample(range(n), 2)) for _ in range(40)]
    I = np.asarray([p[0] for p in pairs], dtype=np.int64)
    J = np.asarray([p[1] for p in pairs], dtype=np.int64)
    want = cluster.average_linkage(n, I, J, np.asarray(W), 0.04, must)
    sc = spark.sparkContext
    links = sc.parallelize([(i, j, w) for (i, j), w in zip(pairs, W)], 4)
    got, _ = linkage_labels(links, sc.parallelize(must, 2), 0.04, 4)
    labels = list(range(n))
    for x, lab in got.collect():
        labels[x] = lab
    assert labels == want
    assert sum(1 for i, lab in enumerate(want) if lab != i) > 100       # real merges happened


def test_linkage_labels_with_particulars_match_average_linkage(spark):
    """The "same event?" check (each item's names and numbers) and the reach give the
    local clusters: every component receives its nodes' particulars, the check vetoes
    merges, and a score over the reach stays within the components."""
    from wiretrace.spark.stories import linkage_labels

    rng = random.Random(5)
    n = 1500
    pairs = sorted({tuple(sorted(rng.sample(range(n), 2))) for _ in range(6000)})
    W = [rng.choice([-1.0, rng.uniform(-0.3, 0.4), rng.uniform(0.0, 0.12)]) for _ in pairs]
    must = [tuple(rng.sample(range(n), 2)) for _ in range(40)]
    # particulars from a small pool, so that clusters of 3+ stand for some and conflict
    parts = [{("korvath", "saldivar", "mirenne")[i % 3], "6.4"} if rng.random() < 0.8 else set() for i in range(n)]
    # planted: 40 groups of 6 (items 0..239) linked 0.3 inside, each pair of groups by 6
    # links of 0.2 across; the two groups of a pair stand for different particulars
    planted = {}
    for g in range(40):
        mem = range(6 * g, 6 * g + 6)
        for i in mem:
            parts[i] = {f"event{g}", "quake"}
            for j in mem:
                if i < j:
                    planted[(i, j)] = 0.3
            if g % 2 == 0:
                planted[(i, i + 6)] = 0.2          # sparse across: only the reach merges these
    kept = {p: w for p, w in zip(pairs, W) if p[0] >= 240 and p[1] >= 240}
    kept.update(planted)
    pairs = sorted(kept)
    W = [kept[p] for p in pairs]
    must = [(a, b) for a, b in must if a >= 240 and b >= 240]
    I = np.asarray([p[0] for p in pairs], dtype=np.int64)
    J = np.asarray([p[1] for p in pairs], dtype=np.int64)
    want = cluster.average_linkage(n, I, J, np.asarray(W), 0.04, must, particulars=parts, reach=5)
    plain = cluster.average_linkage(n, I, J, np.asarray(W), 0.04, must, reach=5)
    assert want != plain                                                   # the check acted
    assert plain != cluster.average_linkage(n, I, J, np.asarray(W), 0.04, must)   # so did the reach
    sc = spark.sparkContext
    links = sc.parallelize([(i, j, w) for (i, j), w in zip(pairs, W)], 4)
    got, _ = linkage_labels(links, sc.parallelize(must, 2), 0.04, 4,
                            parts=sc.parallelize(list(enumerate(parts)), 3), reach=5)
    labels = list(range(n))
    for x, lab in got.collect():
        labels[x] = lab
    assert labels == want
    # the core bar (two clusters of 3+ merge only at 0.13) at reach 3: a veto too
    want3 = cluster.average_linkage(n, I, J, np.asarray(W), 0.04, must, particulars=parts, reach=3,
                                    core=(3, 0.13))
    assert want3 != cluster.average_linkage(n, I, J, np.asarray(W), 0.04, must, particulars=parts, reach=3)
    got, _ = linkage_labels(links, sc.parallelize(must, 2), 0.04, 4,
                            parts=sc.parallelize(list(enumerate(parts)), 3), reach=3, core=(3, 0.13))
    labels = list(range(n))
    for x, lab in got.collect():
        labels[x] = lab
    assert labels == want3


def _weak_derivation_corpus():
    """150 articles of 15 topics (made-up words: a topic's own and common ones), every
    other one taking a little (share 0.05-0.3) from two others (one of its topic, one
    of another), a few copied whole from one source of their topic."""
    from wiretrace.model import Article, Derivation

    rng = random.Random(3)

    def word(k):
        return "".join("bcdfghjklmnprstvz"[int(d)] for d in f"{k:04d}") + "a"
    topics = [[word(100 + 12 * t + k) for k in range(12)] for t in range(15)]
    common = [word(5000 + k) for k in range(80)]
    arts = []
    for i in range(150):
        words = rng.sample(topics[i % 15], rng.randint(3, 6)) + rng.sample(common, rng.randint(3, 8))
        rng.shuffle(words)
        arts.append(Article(id=f"a{i:03d}", title=" ".join(words[:4]), text=" ".join(words) + ".",
                            published=f"2024-03-{1 + (i % 15) // 3:02d}" if i % 4 else None))
    ders = []
    for tgt in range(0, 150, 2):
        for s in ((tgt + 15) % 150, (tgt + 7 * 15 + rng.randint(1, 14)) % 150):
            ders.append(Derivation(source=arts[s].id, target=arts[tgt].id, kind="partially", credited=False,
                                   share=rng.choice([0.05, 0.1, 0.2, 0.3])))
    for tgt in range(1, 150, 10):
        ders.append(Derivation(source=arts[(tgt + 30) % 150].id, target=arts[tgt].id, kind="wholly",
                               credited=False, share=0.9))
    return arts, ders


def test_stories_spark_with_weak_derivations_equals_local(spark, monkeypatch):
    """Derivations of every kind (a sole source, weak shares from several sources,
    pairs with and without a candidate link): the must-links and the derived links'
    bonus (group.DERIVED_BONUS) give the local stories."""
    from wiretrace.model import Article
    from wiretrace.spark.stories import stories_spark
    from wiretrace.stories import group, group_stories

    arts, ders = _weak_derivation_corpus()

    def local():
        la = [Article(id=a.id, title=a.title, text=a.text, published=a.published) for a in arts]
        return group_stories(la, ders)[0]
    stories = local()
    with monkeypatch.context() as m:
        m.setattr(group, "DERIVED_BONUS", 0.0)
        assert [s.articles for s in local()] != [s.articles for s in stories]    # the bonus acts here
    sc = spark.sparkContext
    final, _, _, drop = stories_spark(sc.parallelize(list(enumerate(arts)), 4), len(arts),
                                      sc.parallelize(list(enumerate(ders)), 3), 4)
    got = [s.to_dict() for _, s in sorted(final.collect(), key=lambda kv: kv[0])]
    for r in drop:
        r.unpersist()
    assert got == [s.to_dict() for s in stories]
