"""Story grouping and storylines as Spark jobs, with the local engine's result.

The local algorithm (``wiretrace.stories``) is global: a TF-IDF model over the
corpus, candidate links from a pruned block product, average linkage over the
link graph.  It is distributed here without changing a bit of its output:

1. **Vocabulary.**  Terms are numbered by first occurrence, as ``Vocab.fit``
   numbers them: a distributed (min (article, position), document count) per
   term, sorted and numbered.  idf is ``features.idf_value`` (scalar log).
2. **Rows.**  Each article's (column, count, idf) triples meet through a join on
   the term; ``features.tfidf_matrix`` builds rows a partition at a time (every
   operation is per row, so the bits equal those of the local whole matrix).
3. **Candidate links** (``candidate_links``): each row is pruned
   (``cluster.prune_row``); rows are cut into blocks of ``cluster.BLOCK``
   articles; a block asks for the posting lists of its rows' pruned terms (a
   join on the term: an inverted index, never a broadcast of the matrix) and
   multiplies, ``cluster.row_partners`` picks each row's best partners.  A
   partner score sums a pair's shared terms in the left row's stored order
   whatever the block holds, so the pairs are the local ones.  The exact cosine
   of each pair comes from its two full rows (two joins), ``cluster.pair_cosines``.
4. **Link weights and levels**: ``group.link_weight`` per pair, ``group.level_of``
   per article (a group by article), ``group.scaled`` per pair, then
   ``group.derived_link`` on the pairs of a derivation (a join on the pair).
5. **Components.**  Average linkage only merges two clusters whose average link
   is >= the threshold, and with a positive threshold that needs one link >= the
   threshold between them (an average cannot exceed its largest term; a missing
   link counts 0).  So clusters never cross the connected components of the graph
   of links >= threshold plus the derivation must-links.  Components come from
   the alternating large-star / small-star rounds (``connected_components``).
6. **Average linkage per component** on the executors: the component's links
   (any weight) in global (i, j) order, its must-links and its articles'
   particulars (names and numbers: the "same event?" check only vetoes merges,
   so it never lets a cluster cross a component; the reach keeps a score at most
   the largest link between two clusters), indices renumbered in order; every comparison in ``cluster.average_linkage`` reads the order of the
   indices only, and the representative is the smallest member, so each
   component's clusters are the local ones.
7. **Stories** are numbered by (earliest date, smallest member) with a
   distributed sort; each is built (``stories.make_story``: origin, title) with
   its members and the derivations inside it.
8. **Storylines**: the same steps at story level: the centroid of each story
   (``storylines.centroid_matrix`` on its members' rows, summed in member
   order), candidate links between centroids, ``thread_weight``, components,
   average linkage, numbering by (earliest start, smallest story), and
   ``storylines.storyline`` per line.

The driver receives the results only: stories, storylines, and (for the
signals stage) nothing else; the article -> (story, storyline) table stays an RDD.
"""
from __future__ import annotations

import numpy as np

from ..stories import cluster
from ..stories.features import idf_value, tfidf_matrix
from ..stories.group import (CORE_SIZE, CORE_THRESHOLD, LINK_REACH, THRESHOLD, MIN_LINK, article_features, derived_link,
                             level_of, link_weight, scaled, story_derivations)
from ..stories.storylines import THREAD_THRESHOLD, centroid_matrix, story_names, storyline, thread_weight

INF = float("inf")


def _persist(rdd):
    from pyspark import StorageLevel
    return rdd.persist(StorageLevel.MEMORY_AND_DISK)


# -- rows ----------------------------------------------------------------------------

def vocabulary(feats, P: int):
    """(term, (column, df)) with ``Vocab.fit``'s numbering: by first occurrence
    (article index, position in the article's counts)."""
    occ = feats.flatMap(lambda kv: [(t, ((kv[0], p), 1)) for p, t in enumerate(kv[1][0])])
    first = occ.reduceByKey(lambda a, b: (min(a[0], b[0]), a[1] + b[1]), P)
    return (first.sortBy(lambda kv: kv[1][0], numPartitions=P).zipWithIndex()
            .map(lambda x: (x[0][0], (x[1], x[0][1][1]))))


def _rows_block(n_docs: int, n_cols: int):
    def run(part):
        items = [(i, list(trip)) for i, trip in part]
        if not items:
            return []
        X = tfidf_matrix([[(c, v, idf_value(df, n_docs)) for c, v, df in trip] for _, trip in items], n_cols)
        return [(i, (X.indices[X.indptr[k]:X.indptr[k + 1]].astype(np.int64),
                     X.data[X.indptr[k]:X.indptr[k + 1]].copy()))
                for k, (i, _) in enumerate(items)]
    return run


def tfidf_rows(feats, n_docs: int, P: int):
    """(index, (columns, values)) for every article with a term; and the column count."""
    voc = _persist(vocabulary(feats, P))
    n_cols = max(1, voc.count())
    tf = feats.flatMap(lambda kv: [(t, (kv[0], c)) for t, c in kv[1][0].items()])
    trip = tf.join(voc, P).map(lambda kv: (kv[1][0][0], (kv[1][1][0], kv[1][0][1], kv[1][1][1])))
    rows = trip.groupByKey(P).mapPartitions(_rows_block(n_docs, n_cols))
    return rows, n_cols, voc


# -- candidate links ---------------------------------------------------------------------

def _block_pairs(n: int, top_k: int):
    """Per block: its pruned rows and the posting lists of their terms -> pair codes."""
    import scipy.sparse as sp

    def run(kv):
        b, (rows, posts) = kv
        rows = sorted(rows)
        if not rows:
            return []
        base = b * cluster.BLOCK
        local: dict[int, int] = {}
        per: list = [None] * cluster.BLOCK
        for i, c, v in rows:
            per[i - base] = ([local.setdefault(int(t), len(local)) for t in c.tolist()], v)
        indptr, cols, vals = [0], [], []
        for x in per:
            if x is not None:
                cols.extend(x[0])
                vals.append(x[1])
            indptr.append(len(cols))
        A = sp.csr_matrix((np.concatenate(vals).astype(np.float64), np.asarray(cols, dtype=np.int64),
                           np.asarray(indptr, dtype=np.int64)), shape=(cluster.BLOCK, len(local)))
        br, bc, bv = [], [], []
        for t, (idx, pv) in posts:
            k = local.get(t)
            if k is None:
                continue
            br.append(np.full(len(idx), k, dtype=np.int64))
            bc.append(idx)
            bv.append(pv)
        if not br:
            return []
        B = sp.csr_matrix((np.concatenate(bv), (np.concatenate(br), np.concatenate(bc))), shape=(len(local), n))
        I, J = cluster.row_partners((A @ B).tocsr(), base, top_k, True)
        lo, hi = np.minimum(I, J), np.maximum(I, J)
        return np.unique(lo * n + hi).tolist()
    return run


def _postings(kv):
    t, items = kv
    items = sorted(items)
    return t, (np.asarray([i for i, _ in items], dtype=np.int64), np.asarray([v for _, v in items], dtype=np.float64))


def _pair_cosines(pairs):
    """Per partition of (lo, hi, row_lo, row_hi, extra_lo, extra_hi): exact cosines."""
    import scipy.sparse as sp

    pairs = list(pairs)
    if not pairs:
        return []
    indptr, cols, vals = [0], [], []
    n_cols = 1
    for _, _, ra, rb, _, _ in pairs:
        for c, v in (ra, rb):
            cols.append(c)
            vals.append(v)
            indptr.append(indptr[-1] + len(c))
            if len(c):
                n_cols = max(n_cols, int(c.max()) + 1)
    X = sp.csr_matrix((np.concatenate(vals), np.concatenate(cols), np.asarray(indptr, dtype=np.int64)),
                      shape=(2 * len(pairs), n_cols))
    k = np.arange(len(pairs), dtype=np.int64)
    sims = cluster.pair_cosines(X, X, 2 * k, 2 * k + 1)
    return [(p[0], p[1], float(s), p[4], p[5]) for p, s in zip(pairs, sims.tolist())]


def candidate_links(nodes, n: int, P: int, *, min_sim: float, top_terms: int = cluster.TOP_TERMS,
                    top_k: int = cluster.TOP_K):
    """``cluster.candidate_pairs`` (self-join) over an RDD of (index, (columns,
    values, extra)) rows: an RDD of (i, j, cosine, extra_i, extra_j), i < j, cosine >= min_sim."""
    pruned = nodes.mapValues(lambda x: cluster.prune_row(x[0], x[1], top_terms))
    posts = (pruned.flatMap(lambda kv: [(int(t), (kv[0], float(v))) for t, v in zip(kv[1][0].tolist(), kv[1][1].tolist())])
             .groupByKey(P).map(lambda kv: _postings((kv[0], list(kv[1]))))
             .filter(lambda kv: len(kv[1][0]) <= cluster.POSTING_CAP))      # as cluster.drop_long_postings
    by_block = pruned.map(lambda kv: (kv[0] // cluster.BLOCK, (kv[0], kv[1][0], kv[1][1])))
    wants = by_block.flatMap(lambda kv: [(int(t), kv[0]) for t in kv[1][1].tolist()]).distinct(P)
    sent = wants.join(posts, P).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
    codes = by_block.cogroup(sent, P).flatMap(_block_pairs(n, top_k)).distinct(P)
    pairs = codes.map(lambda c: (c // n, c % n))
    one = pairs.join(nodes, P).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
    both = one.join(nodes, P).map(lambda kv: (kv[1][0][0], kv[0], kv[1][0][1][:2], kv[1][1][:2],
                                              kv[1][0][1][2], kv[1][1][2]))
    return both.mapPartitions(_pair_cosines).filter(lambda t: t[2] >= min_sim)


# -- connected components ------------------------------------------------------------------

def _large_star(changes):
    def run(kv):
        u, nb = kv
        nb = set(nb)
        m = min(nb | {u})
        out = [(v, m) for v in nb if v > u]
        if out and m < u:
            changes.add(1)          # the edges (u, v), v > u, move to m
        return out
    return run


def _small_star(changes):
    def run(kv):
        u, small = kv
        small = set(small)
        if len(small) > 1:
            changes.add(1)          # u's smaller neighbours move to the smallest
        m = min(small | {u})
        return [(v, m) for v in small | {u} if v != m]
    return run


def _norm(e):
    a, b = e
    return (a, b) if a < b else (b, a)


def connected_components(edges, P: int, max_rounds: int = 200):
    """(node, smallest node of its component) for every node of an edge RDD of
    (u, v) pairs, by alternating large-star and small-star rounds (Kiveris et
    al. 2014: O(log^2 n) rounds, two shuffles each) until neither changes an
    edge; the edges then form a star around each component's smallest node.
    A round changes nothing exactly when no node with a larger neighbour has a
    smaller one (large-star) and no node has two smaller ones (small-star):
    counted in accumulators while the round runs."""
    sc = edges.context
    E = _persist(edges.filter(lambda e: e[0] != e[1]).map(_norm).distinct(P))
    for _ in range(max_rounds):
        changes = sc.accumulator(0)
        big = (E.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).groupByKey(P)
               .flatMap(_large_star(changes)).map(_norm).distinct(P))
        small = _persist(big.map(lambda e: (e[1], e[0])).groupByKey(P)
                         .flatMap(_small_star(changes)).map(_norm).distinct(P))
        small.count()
        E.unpersist()
        E = small
        if changes.value == 0:
            break
    else:  # pragma: no cover - O(log^2 n) rounds: 200 is far beyond any corpus
        raise RuntimeError("connected components did not converge")
    return E.flatMap(lambda e: [(e[1], e[0]), (e[0], e[0])]).reduceByKey(min, P), E


def _linkage(threshold: float, with_parts: bool, reach: int | None = None, core=None):
    def run(kv):
        _, groups = kv
        links, must = sorted(groups[0]), list(groups[1])
        nodes = sorted({x for i, j, _ in links for x in (i, j)} | {x for a, b in must for x in (a, b)})
        pos = {x: k for k, x in enumerate(nodes)}
        I = np.asarray([pos[i] for i, _, _ in links], dtype=np.int64)
        J = np.asarray([pos[j] for _, j, _ in links], dtype=np.int64)
        W = np.asarray([w for _, _, w in links], dtype=np.float64)
        parts = None
        if with_parts:           # each node's particulars, in node order (nodes without: none)
            have = dict(groups[2])
            parts = [have.get(x, set()) for x in nodes]
        labels = cluster.average_linkage(len(nodes), I, J, W, threshold, [(pos[a], pos[b]) for a, b in must],
                                         particulars=parts, reach=reach, core=core)
        return [(x, nodes[lab]) for x, lab in zip(nodes, labels)]
    return run


def _split3(items):
    """(tag, value) records of one component -> (links, must-links, particulars)."""
    out: tuple[list, list, list] = ([], [], [])
    for tag, x in items:
        out[tag].append(x)
    return out


def linkage_labels(links, must, threshold: float, P: int, parts=None, reach: int | None = None, core=None):
    """``cluster.average_linkage`` over (i, j, w) links (i < j) and must-link
    pairs, one connected component at a time: RDD of (node, label) for the nodes
    of some link or must-link (others are alone: their own label).  ``parts``:
    an RDD of (node, particulars) for the linkage's "same event?" check; each
    component receives its nodes' (a veto only stops merges, so clusters still
    never cross the components; so does ``core``, a higher bar for merging two
    big clusters: ``cluster.average_linkage``)."""
    strong = links.filter(lambda t: t[2] >= threshold) if threshold > 0 else links
    edges = strong.map(lambda t: (t[0], t[1])).union(must)
    comp, E = connected_components(edges, P)
    comp = _persist(comp)
    inner = (links.map(lambda t: (t[0], t)).join(comp, P).map(lambda kv: (kv[1][0][1], (kv[1][0], kv[1][1])))
             .join(comp, P).filter(lambda kv: kv[1][0][1] == kv[1][1])
             .map(lambda kv: (kv[1][1], kv[1][0][0])))
    must_in = must.join(comp, P).map(lambda kv: (kv[1][1], (kv[0], kv[1][0])))
    if parts is None:
        out = inner.cogroup(must_in, P).flatMap(_linkage(threshold, False, reach, core))
    else:
        parts_in = parts.join(comp, P).map(lambda kv: (kv[1][1], (kv[0], kv[1][0])))
        tagged = (inner.mapValues(lambda x: (0, x)).union(must_in.mapValues(lambda x: (1, x)))
                  .union(parts_in.mapValues(lambda x: (2, x))))
        out = tagged.groupByKey(P).mapValues(_split3).flatMap(_linkage(threshold, True, reach, core))
    return out, [comp, E]


# -- stories -----------------------------------------------------------------------------------

def _feature_row(kv):
    i, a = kv
    counts, ents, wd, day = article_features(a)
    return i, (counts, ents, wd, day, a.id, a.title, a.published)


def stories_spark(arts, n_docs: int, ders, P: int, threshold: float = THRESHOLD, timer=None):
    """Stories and storylines of the (index, Article) RDD ``arts`` and the
    (number, Derivation) RDD ``ders``, equal to ``stories.group_stories(articles,
    derivations)``.  Returns RDDs: (stories: (k, Story) with its storyline set,
    storylines: (k, Storyline), assign: (article id, (story id, storyline id))) and
    the cached RDDs to drop when done."""
    from ..model import Article
    from ..stories import make_story

    sc = arts.context
    drop = []

    def mark(name, rdd):
        if timer is not None and timer.on:       # timing: force the stage, note its records
            timer.note(f"stories:{name}:n", rdd.count())
            timer(f"stories:{name}")

    feats = _persist(arts.map(_feature_row))
    drop.append(feats)
    rows, n_cols, voc = tfidf_rows(feats, n_docs, P)
    rows = _persist(rows)
    drop += [rows, voc]
    info = feats.mapValues(lambda f: (f[1], f[3], f[2]))          # ents, day, weekdays
    nodes = _persist(rows.join(info, P).mapValues(lambda x: (x[0][0], x[0][1], x[1])))
    drop.append(nodes)
    mark("rows", nodes)
    cand = candidate_links(nodes, n_docs, P, min_sim=MIN_LINK)
    raw = _persist(cand.map(lambda t: (t[0], t[1], link_weight(t[2], t[3][0], t[4][0], t[3][1], t[4][1],
                                                                  t[3][2], t[4][2]))))
    drop.append(raw)
    mark("links", raw)
    levels = (raw.flatMap(lambda t: [(t[0], t[2]), (t[1], t[2])] if t[2] > 0 else [])
              .groupByKey(P).mapValues(lambda ws: level_of(list(ws))))
    scaled_links = (raw.map(lambda t: (t[0], (t[1], t[2]))).leftOuterJoin(levels, P)
                    .map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1], kv[1][1] or 0.0)))
                    .leftOuterJoin(levels, P)
                    .map(lambda kv: (kv[1][0][0], kv[0], scaled(kv[1][0][1], kv[1][0][2], kv[1][1] or 0.0))))
    ids = feats.map(lambda kv: (kv[1][4], kv[0]))
    # every derivation's pair (by index): its candidate link gains group.DERIVED_BONUS
    derived = (ders.map(lambda nd: (nd[1].source, nd[1].target)).join(ids, P)
               .map(lambda kv: (kv[1][0], kv[1][1])).join(ids, P)
               .map(lambda kv: ((min(kv[1][0], kv[1][1]), max(kv[1][0], kv[1][1])), 1)).distinct(P))
    links = _persist(scaled_links.map(lambda t: ((t[0], t[1]), t[2])).leftOuterJoin(derived, P)
                     .map(lambda kv: (kv[0][0], kv[0][1],
                                      derived_link(kv[1][0]) if kv[1][1] is not None else kv[1][0])))
    drop.append(links)
    # must-links: the derivations that tie their two articles into one story
    # (``story_derivations`` reads one target's derivations at a time)
    tie = (ders.map(lambda nd: (nd[1].target, nd[1])).groupByKey(P)
           .flatMap(lambda kv: [(d.source, d.target) for d in story_derivations(list(kv[1]))]))
    must = (tie.join(ids, P).map(lambda kv: (kv[1][0], kv[1][1])).join(ids, P)
            .map(lambda kv: (kv[1][0], kv[1][1])))
    labels, more = linkage_labels(links, must, threshold, P, parts=feats.mapValues(lambda f: f[1]), reach=LINK_REACH,
                                   core=(CORE_SIZE, CORE_THRESHOLD))
    drop += more
    label = _persist(feats.map(lambda kv: (kv[0], kv[1][3])).leftOuterJoin(labels, P)
                     .map(lambda kv: (kv[0], (kv[1][1] if kv[1][1] is not None else kv[0], kv[1][0]))))
    drop.append(label)
    mark("linkage", label)
    # story numbers: (earliest date, smallest member), a distributed sort
    keys = label.map(lambda kv: (kv[1][0], (kv[1][1] if kv[1][1] is not None else INF, kv[0])))
    keys = keys.reduceByKey(lambda a, b: (min(a[0], b[0]), min(a[1], b[1])), P)
    number = _persist(keys.sortBy(lambda kv: kv[1], numPartitions=P).zipWithIndex()
                      .map(lambda x: (x[0][0], x[1])))          # label -> story number (0-based)
    drop.append(number)
    story_of_idx = _persist(label.map(lambda kv: (kv[1][0], kv[0])).join(number, P)
                            .map(lambda kv: (kv[1][0], kv[1][1])))   # index -> story number
    drop.append(story_of_idx)
    lite = feats.map(lambda kv: (kv[0], (kv[1][4], kv[1][5], kv[1][6])))
    members = lite.join(story_of_idx, P).map(lambda kv: (kv[1][1], (kv[0],) + kv[1][0]))
    by_id = _persist(feats.map(lambda kv: (kv[0], kv[1][4])).join(story_of_idx, P)
                     .map(lambda kv: kv[1]))                        # id -> story number
    drop.append(by_id)
    inside = (ders.map(lambda nd: (nd[1].source, nd)).join(by_id, P)
              .map(lambda kv: (kv[1][0][1].target, (kv[1][0], kv[1][1]))).join(by_id, P)
              .filter(lambda kv: kv[1][0][1] == kv[1][1]).map(lambda kv: (kv[1][1], kv[1][0][0])))

    def build(kv):
        k, (mem, ds) = kv
        mem = sorted(mem)
        arts_ = [Article(id=aid, title=title, published=pub) for _, aid, title, pub in mem]
        ds = [d for _, d in sorted(ds, key=lambda x: x[0])]
        return k, make_story(f"s{k + 1}", arts_, ds)

    story_rdd = _persist(members.cogroup(inside, P).map(build))
    drop.append(story_rdd)
    mark("stories", story_rdd)
    # storylines over the stories' centroids
    gx = rows.join(story_of_idx, P).map(lambda kv: (kv[1][1], (kv[0], kv[1][0])))

    def centroid(kv):
        import scipy.sparse as sp
        k, mem = kv
        mem = sorted(mem, key=lambda x: x[0])
        indptr = np.cumsum([0] + [len(c) for _, (c, _) in mem])
        X = sp.csr_matrix((np.concatenate([v for _, (_, v) in mem]), np.concatenate([c for _, (c, _) in mem]),
                           indptr), shape=(len(mem), n_cols))
        C = centroid_matrix(X, [list(range(len(mem)))])
        return k, (C.indices.astype(np.int64), C.data.copy())

    cents = gx.groupByKey(P).map(centroid)
    ginfo = (feats.map(lambda kv: (kv[0], (kv[1][1], kv[1][3]))).join(story_of_idx, P)
             .map(lambda kv: (kv[1][1], kv[1][0])).groupByKey(P).mapValues(_story_info))
    snodes = _persist(cents.join(ginfo, P).mapValues(lambda x: (x[0][0], x[0][1], x[1])))
    drop.append(snodes)
    mark("centroids", snodes)
    n_st = story_rdd.count()
    slinks = candidate_links(snodes, max(n_st, 1), P, min_sim=0.02).map(
        lambda t: (t[0], t[1], thread_weight(t[2], t[3][0], t[4][0], t[3][1], t[4][1])))
    none = sc.parallelize([], 1)
    slabels, more = linkage_labels(_persist(slinks), none, THREAD_THRESHOLD, P)
    drop += more
    sinfo = ginfo.join(story_rdd, P)                             # k -> ((names, span), story)
    sl = sinfo.leftOuterJoin(slabels, P).map(
        lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], (kv[0], kv[1][0][1], kv[1][0][0][1], kv[1][0][0][0])))
    lkeys = (sl.mapValues(lambda m: (m[2][0] if m[2][0] is not None else INF, m[0]))
             .reduceByKey(lambda a, b: (min(a[0], b[0]), min(a[1], b[1])), P))
    lnum = lkeys.sortBy(lambda kv: kv[1], numPartitions=P).zipWithIndex().map(lambda x: (x[0][0], x[1]))
    def line(kv):
        mem, num = list(kv[1][0]), kv[1][1]
        return num, (storyline(f"l{num + 1}", mem), [m[0] for m in mem])

    lines = _persist(sl.groupByKey(P).join(lnum, P).map(line))
    drop.append(lines)
    line_rdd = _persist(lines.flatMap(lambda kv: [(k, kv[1][0].id) for k in kv[1][1]]))
    drop.append(line_rdd)
    storylines = lines.mapValues(lambda v: v[0])
    final = _persist(story_rdd.leftOuterJoin(line_rdd, P).mapValues(_with_line))
    drop.append(final)
    assign = (by_id.map(lambda kv: (kv[1], kv[0])).leftOuterJoin(line_rdd, P)
              .map(lambda kv: (kv[1][0], (f"s{kv[0] + 1}", kv[1][1]))))
    return final, storylines, assign, drop


def _with_line(x):
    story, line = x
    story.storyline = line
    return story


def _story_info(items):
    """(names, (first day, last day)) of a story from its members' (entities, day);
    names as ``storylines.story_names`` reads them."""
    items = list(items)
    cnt: dict[str, int] = {}
    for e, _ in items:
        for x in e:
            cnt[x] = cnt.get(x, 0) + 1
    ds = [d for _, d in items if d is not None]
    return story_names(cnt, len(items)), ((min(ds), max(ds)) if ds else (None, None))
