"""Candidate links and deterministic average-linkage over a sparse graph.

Candidate links (no all-pairs step): every row keeps only its ``TOP_TERMS``
heaviest terms; the pruned matrix is multiplied with its transpose in row
blocks of ``BLOCK`` rows (an inverted-index join: only documents sharing one of
those terms meet), each row keeps its ``TOP_K`` best partners, and the exact
cosine on the full vectors is then computed for those pairs only.

Average linkage on the candidate graph: the similarity of two clusters is the
sum of the link weights between their members divided by ``|A|*|B|`` (a
missing link counts 0).  The pair with the highest average is merged while it
is ``>= threshold``; ties break on the smaller (cluster id, cluster id), and the
merged cluster keeps the smaller id, so the result is fully determined by the
link list and the threshold.
"""
from __future__ import annotations

import heapq

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
                 chunk: int = 200_000) -> np.ndarray:
    """Exact dot products X[I[k]] . Y[J[k]] (rows are L2-normalised)."""
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


def candidate_pairs(X: sp.csr_matrix, *, top_terms: int = TOP_TERMS, top_k: int = TOP_K,
                    min_sim: float = 0.05, Y: sp.csr_matrix | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate (i, j, cosine) links, i < j when ``Y`` is None (self-join),
    else (row of X, row of Y) pairs.  Near-linear: block products over pruned rows."""
    self_join = Y is None
    Y = X if Y is None else Y
    Xp = prune_rows(X, top_terms)
    Ypt = (Xp if self_join else prune_rows(Y, top_terms)).T.tocsc()
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


def average_linkage(n: int, I: np.ndarray, J: np.ndarray, W: np.ndarray, threshold: float,
                    must: list[tuple[int, int]] = ()) -> list[int]:
    """Cluster label (the smallest member index) for each of ``n`` items.

    ``must`` pairs are merged first (union-find), whatever their similarity."""
    sets = DisjointSets(range(n))
    parent, find = sets.parent, sets.find
    for a, b in must:
        sets.union(a, b)
    size: dict[int, int] = {}
    for i in range(n):
        r = find(i)
        size[r] = size.get(r, 0) + 1
    nb: dict[int, dict[int, float]] = {}
    for i, j, w in zip(I.tolist(), J.tolist(), W.tolist()):
        a, b = find(i), find(j)
        if a == b:
            continue
        nb.setdefault(a, {})
        nb.setdefault(b, {})
        nb[a][b] = nb[a].get(b, 0.0) + w
        nb[b][a] = nb[b].get(a, 0.0) + w
    heap = []
    for a, d in nb.items():
        for b, w in d.items():
            if a < b:
                avg = w / (size[a] * size[b])
                if avg >= threshold:
                    heap.append((-avg, a, b))
    heapq.heapify(heap)
    alive = set(size)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive:
            continue
        cur = nb.get(a, {}).get(b)
        if cur is None or abs(cur / (size[a] * size[b]) + neg) > 1e-12:
            continue        # stale entry; the current one is in the heap too
        # merge b into a (a < b)
        alive.discard(b)
        parent[b] = a
        size[a] += size.pop(b)
        nbb = nb.pop(b, {})
        nba = nb.setdefault(a, {})
        nba.pop(b, None)
        for c, w in nbb.items():
            if c == a:
                continue
            nba[c] = nba.get(c, 0.0) + w
            nbc = nb[c]
            nbc.pop(b, None)
            nbc[a] = nba[c]
        for c, w in nba.items():
            avg = w / (size[a] * size[c])
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(a, c), max(a, c)))
    return [find(i) for i in range(n)]
