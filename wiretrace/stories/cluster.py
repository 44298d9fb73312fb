"""Candidate links and deterministic average-linkage over a sparse graph.

Candidate links (no all-pairs step): every row keeps only its ``TOP_TERMS``
heaviest terms; the pruned matrix is multiplied with its transpose in row
blocks of ``BLOCK`` rows (an inverted-index join: only documents sharing one of
those terms meet), each row keeps its ``TOP_K`` best partners, and the exact
cosine on the full vectors is then computed for those pairs only.

Average linkage on the candidate graph: the similarity of two clusters is the
sum of the link weights between their members divided by ``|A|*|B|`` (or, with a
reach, the mean of their best links: ``average_linkage``; a
missing link counts 0).  The pair with the highest average is merged while it
is ``>= threshold``; ties break on the smaller (cluster id, cluster id), and the
merged cluster keeps the smaller id, so the result is fully determined by the
link list and the threshold (and, for stories, each item's particulars: two
clusters standing for different names or numbers are not merged).
"""
from __future__ import annotations

import heapq
import math

import numpy as np
import scipy.sparse as sp

from ..unionfind import DisjointSets

TOP_TERMS = 24      # terms per document used to find candidates
TOP_K = 20          # candidate partners per document
BLOCK = 2048        # rows per sparse block product


def prune_row(c: np.ndarray, v: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """One row's ``m`` largest entries, largest first (ties: lower column); a row
    of ``m`` or fewer entries is kept as it is.  The order matters: a block product
    sums a pair's shared terms in the stored order of the left row."""
    if len(c) > m:
        order = np.lexsort((c, -v))[:m]
        return c[order], v[order]
    return c, v


def prune_rows(X: sp.csr_matrix, m: int) -> sp.csr_matrix:
    """Keep the ``m`` largest entries of each row (``prune_row``)."""
    X = X.tocsr()
    indptr, cols, vals = [0], [], []
    for i in range(X.shape[0]):
        a, b = X.indptr[i], X.indptr[i + 1]
        c, v = prune_row(X.indices[a:b], X.data[a:b], m)
        cols.append(c)
        vals.append(v)
        indptr.append(indptr[-1] + len(c))
    cols_a = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    vals_a = np.concatenate(vals) if vals else np.zeros(0)
    return sp.csr_matrix((vals_a, cols_a, np.asarray(indptr)), shape=X.shape)


def pair_cosines(X: sp.csr_matrix, Y: sp.csr_matrix, I: np.ndarray, J: np.ndarray,
                 chunk: int = 20_000) -> np.ndarray:
    """Exact dot products X[I[k]] . Y[J[k]] (rows are L2-normalised), ``chunk`` pairs
    at a time (each pair on its own: the chunk changes no value; 200,000 pairs took
    ~340 MB at once on the realistic 10k corpus, 20,000 take a tenth)."""
    out = np.zeros(len(I))
    for s in range(0, len(I), chunk):
        a, b = I[s:s + chunk], J[s:s + chunk]
        out[s:s + chunk] = np.asarray(X[a].multiply(Y[b]).sum(axis=1)).ravel()
    return out


def row_partners(S: sp.csr_matrix, offset: int, top_k: int, self_join: bool) -> tuple[np.ndarray, np.ndarray]:
    """(row, partner) for the ``top_k`` best partners of each row of the block
    product ``S`` (rows ``offset..``; ties: lower partner).  A row's choice reads
    that row of ``S`` only, and ``S[i, j]`` sums over i's pruned terms in i's
    order: a distributed engine with any blocking gets the same pairs."""
    Is, Js = [], []
    for r in range(S.shape[0]):
        a, b = S.indptr[r], S.indptr[r + 1]
        c, v = S.indices[a:b], S.data[a:b]
        if self_join:
            keep = c != offset + r
            c, v = c[keep], v[keep]
        if len(c) > top_k:
            order = np.lexsort((c, -v))[:top_k]
            c = c[order]
        Is.append(np.full(len(c), offset + r, dtype=np.int64))
        Js.append(c.astype(np.int64))
    if not Is:
        e = np.zeros(0, dtype=np.int64)
        return e, e
    return np.concatenate(Is), np.concatenate(Js)


#: A term on the pruned rows of more than this many articles is not used to find
#: candidates (its cosine still counts in every pair found through other terms).
#: Without a cap the block products are quadratic when many articles share a word:
#: 100,000 tiny articles of a small vocabulary (bench/million.py 100000) were still
#: in the candidate step after 19 minutes.  At 1,000 a row meets at most TOP_TERMS x
#: 1,000 partners.  No dev set reaches it (the largest has 921 articles), so every
#: dev-set story is unchanged; a story bigger than this is still found through its
#: names and places, whose posting lists are shorter than its common words'.
POSTING_CAP = 1000


def drop_long_postings(M: sp.csr_matrix, cap: int) -> sp.csr_matrix:
    """``M`` (rows: articles, columns: terms) without the columns of the terms on
    more than ``cap`` rows; the order of what is kept is unchanged."""
    M = M.tocsr()
    df = np.bincount(M.indices, minlength=M.shape[1])
    if not len(df) or df.max() <= cap:
        return M
    keep = df[M.indices] <= cap
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])    # kept entries before each one
    return sp.csr_matrix((M.data[keep], M.indices[keep], kept_before[M.indptr]), shape=M.shape)


def candidate_pairs(X: sp.csr_matrix, *, top_terms: int = TOP_TERMS, top_k: int = TOP_K,
                    min_sim: float = 0.05, Y: sp.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate (i, j, cosine) links, i < j when ``Y`` is None (self-join),
    else (row of X, row of Y) pairs.  Near-linear: block products over pruned rows."""
    self_join = Y is None
    Y = X if Y is None else Y
    Xp = prune_rows(X, top_terms)
    # terms by rows (CSR, so no block product converts it again), without the
    # terms whose posting lists are longer than POSTING_CAP (see there)
    Ypt = drop_long_postings(Xp if self_join else prune_rows(Y, top_terms), POSTING_CAP).T.tocsr()
    Is, Js = [], []
    for s in range(0, X.shape[0], BLOCK):
        I, J = row_partners((Xp[s:s + BLOCK] @ Ypt).tocsr(), s, top_k, self_join)
        Is.append(I)
        Js.append(J)
    I = np.concatenate(Is) if Is else np.zeros(0, dtype=np.int64)
    J = np.concatenate(Js) if Js else np.zeros(0, dtype=np.int64)
    if not len(I):
        return I, J, np.zeros(0)
    if self_join:
        lo, hi = np.minimum(I, J), np.maximum(I, J)
        key = np.unique(lo * X.shape[0] + hi)
        I, J = key // X.shape[0], key % X.shape[0]
    sims = pair_cosines(X, Y, I, J)
    keep = sims >= min_sim
    return I[keep], J[keep], sims[keep]


# A cluster's own particulars (``conflicting``): the names and numbers named by at
# least PARTICULAR_SHARE of its members and by at least PARTICULAR_MIN of them.
# Swept with LOCAL_CAP 0.2, THRESHOLD 0.03 (BCubed F1 stories-dev / wire-dev /
# events-dev / second corpus): no check 0.889/0.888/0.840/0.942; names only, min 3,
# share 1/2 0.892/0.883/0.862/0.942; names and numbers: min 2 share 0.67
# 0.896/0.876/0.861/0.911, min 2 share 0.8 0.896/0.878/0.857/0.911, min 3 share 1/2
# 0.895/0.880/0.858/0.942, min 3 share 0.67 0.894/0.887/0.871/0.942, min 3 share 0.75
# 0.894/0.885/0.871/0.942, min 4 share 0.67 0.889/0.890/0.871/0.942; min 3 share
# exactly 2/3 (kept) 0.894/0.885/0.871/0.942.  A minimum of 2
# lets pairs inside a big story (two reports naming the same lawyer) veto the rest of
# it; requiring 2 or 3 unmatched particulars on each side instead of 1 was worse on
# events-dev (0.821-0.857).  A penalty (0.02, 0.05) instead of a veto: 0.835, 0.836.
PARTICULAR_SHARE = 2 / 3
PARTICULAR_MIN = 3


def own_particulars(counts: dict[str, int], size: int) -> frozenset[str]:
    """The particulars a cluster of ``size`` members stands for (``counts``:
    particular -> members naming it)."""
    need = max(PARTICULAR_MIN, math.ceil(PARTICULAR_SHARE * size - 1e-9))
    return frozenset(e for e, c in counts.items() if c >= need)


def conflicting(own_a: frozenset[str], counts_a: dict[str, int], own_b: frozenset[str],
                counts_b: dict[str, int]) -> bool:
    """Two clusters report different events when each stands for a particular
    (a name, place or number most of its members give) that no member of the other
    names at all: two earthquakes (Korvath / Saldivar), two title defences
    (Thompson / Rahman).  One side's extra detail alone is no conflict (a follow-up
    adds names)."""
    return any(e not in counts_b for e in own_a) and any(e not in counts_a for e in own_b)


def _fold(nb: dict, a: int, b: int, add):
    """Cluster ``b`` merged into ``a`` in the neighbour map ``nb`` (cluster -> {other:
    value}): b's values combined with a's (``add(a's value or None, b's value)``), b
    gone from every map; a's map returned."""
    nbb = nb.pop(b, {})
    nba = nb.setdefault(a, {})
    nba.pop(b, None)
    for c, w in nbb.items():
        if c == a:
            continue
        nba[c] = add(nba.get(c), w)
        nbc = nb[c]
        nbc.pop(b, None)
        nbc[a] = nba[c]
    return nba


def _add(x: float | None, y: float) -> float:
    return y if x is None else x + y


def _best_of(keep: int):
    """Two clusters' best links (descending tuples) combined: the ``keep`` best."""
    def add(x: tuple | None, y: tuple) -> tuple:
        if x is None:
            return y
        return tuple(heapq.nlargest(keep, x + y))
    return add


class _Clusters:
    """An average-linkage run's state: the clusters (union-find over the items, the
    representative being the smallest member), their sizes, their particulars, and
    their links to each other: summed, or, with ``reach``, the ``reach**2`` best
    (largest first: all a score can read, since it reads at most
    ``min(|A|, reach) * min(|B|, reach)`` of them)."""

    def __init__(self, n: int, must, particulars: list | None, reach: int | None):
        self.sets = DisjointSets(range(n))
        find = self.sets.find
        for a, b in must:
            self.sets.union(a, b)
        self.size: dict[int, int] = {}
        for i in range(n):
            r = find(i)
            self.size[r] = self.size.get(r, 0) + 1
        self.checked = particulars is not None
        self.counts: dict[int, dict[str, int]] = {}
        self.own: dict[int, frozenset[str]] = {}
        if particulars is not None:
            for i in range(n):
                c = self.counts.setdefault(find(i), {})
                for e in particulars[i]:
                    c[e] = c.get(e, 0) + 1
            self.own = {r: own_particulars(self.counts[r], self.size[r]) for r in self.size}
        self.reach = reach
        self.add = _add if reach is None else _best_of(reach * reach)
        self.nb: dict[int, dict[int, float | tuple]] = {}

    def add_links(self, I: np.ndarray, J: np.ndarray, W: np.ndarray) -> None:
        """Gather the item links (i, j, w) into links between the clusters."""
        find, nb = self.sets.find, self.nb
        if self.reach is None:
            for i, j, w in zip(I.tolist(), J.tolist(), W.tolist()):
                a, b = find(i), find(j)
                if a != b:
                    v = nb.setdefault(a, {}).get(b, 0.0) + w
                    nb[a][b] = v
                    nb.setdefault(b, {})[a] = v
            return
        got: dict[tuple[int, int], list[float]] = {}
        for i, j, w in zip(I.tolist(), J.tolist(), W.tolist()):
            a, b = find(i), find(j)
            if a != b:
                got.setdefault((min(a, b), max(a, b)), []).append(w)
        keep = self.reach * self.reach
        for (a, b), ws in got.items():
            v = tuple(heapq.nlargest(keep, ws))
            nb.setdefault(a, {})[b] = v
            nb.setdefault(b, {})[a] = v

    def apart(self, a: int, b: int) -> bool:
        return self.checked and conflicting(self.own[a], self.counts[a], self.own[b], self.counts[b])

    def score(self, a: int, b: int, v) -> float:
        """Two clusters' linkage from their links ``v`` (module doc)."""
        size, reach = self.size, self.reach
        if reach is None:
            return v / (size[a] * size[b])
        m = min(size[a], reach) * min(size[b], reach)
        return sum(v[:m]) / m

    def merge(self, a: int, b: int) -> dict:
        """Cluster ``b`` merged into ``a`` (a < b); a's links returned."""
        self.sets.parent[b] = a
        self.size[a] += self.size.pop(b)
        if self.checked:
            ca = self.counts[a]
            for e, c in self.counts.pop(b).items():
                ca[e] = ca.get(e, 0) + c
            self.own.pop(b)
            self.own[a] = own_particulars(ca, self.size[a])
        return _fold(self.nb, a, b, self.add)


def average_linkage(n: int, I: np.ndarray, J: np.ndarray, W: np.ndarray, threshold: float,
                    must: list[tuple[int, int]] = (), particulars: list | None = None,
                    reach: int | None = None, core: tuple[int, float] | None = None) -> list[int]:
    """Cluster label (the smallest member index) for each of ``n`` items.

    ``must`` pairs are merged first (union-find), whatever their similarity.
    The score of two clusters is the sum of their links over ``|A| * |B|`` (a
    missing link counts 0); with ``reach``, the mean of their ``m = min(|A|, reach)
    * min(|B|, reach)`` best links (fewer than ``m`` links: the missing ones count
    0): an article links strongly to a few members of a big story, not to all of
    them, and its weak links to the story's far members (a rewrite's other
    paragraphs, a follow-up's background) say nothing against it, so a big cluster
    is neither penalised for its size nor diluted by its many weak links (the score
    still never exceeds the largest link between the two, so clusters stay inside
    the components of the links >= threshold).
    With ``particulars`` (one set of names/numbers per item), two clusters whose
    own particulars conflict (``conflicting``) are never merged, whatever their
    average link: the merge reads "same event?", not only "same words?".
    With ``core = (size, bar)``, two clusters of at least ``size`` members each
    merge only when their score reaches ``bar`` (>= ``threshold``): two established
    stories that link weakly are two events of one topic."""
    cl = _Clusters(n, must, particulars, reach)
    cl.add_links(I, J, W)
    size = cl.size
    if core is None:
        def bar(a: int, b: int) -> float:
            return threshold
    else:
        core_size, core_bar = core[0], max(core[1], threshold)

        def bar(a: int, b: int) -> float:
            return core_bar if size[a] >= core_size and size[b] >= core_size else threshold
    heap = []
    for a, d in cl.nb.items():
        for b, w in d.items():
            if a < b:
                avg = cl.score(a, b, w)
                if avg >= bar(a, b) and not cl.apart(a, b):
                    heap.append((-avg, a, b))
    heapq.heapify(heap)
    alive = set(cl.size)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive:
            continue
        cur = cl.nb.get(a, {}).get(b)
        if cur is None or abs(cl.score(a, b, cur) + neg) > 1e-12:
            continue        # stale entry; the current one is in the heap too
        if cl.apart(a, b) or -neg < bar(a, b):  # pushed before one side's particulars or size changed
            continue
        alive.discard(b)
        for c, w in cl.merge(a, b).items():
            avg = cl.score(a, c, w)
            if avg >= bar(a, c) and not cl.apart(a, c):
                heapq.heappush(heap, (-avg, min(a, c), max(a, c)))
    return [cl.sets.find(i) for i in range(n)]
