"""Storylines: stories that continue one thread (same actors and places,
weeks or months apart, weaker wording overlap than one story).

Each story is summarised by its centroid (mean TF-IDF vector of its members)
and its entity set (names/numbers seen in at least one member).  Candidate
story pairs come from the same block-product search as articles.  Link weight:
``cos(centroids) + THREAD_ENTITY_WEIGHT * min(shared names, CAP) / CAP``, names
only (numbers are event details, not thread actors); pairs sharing fewer than
``MIN_SHARED`` names or more than ``MAX_GAP_DAYS`` apart are not linked.
Average linkage at ``THREAD_THRESHOLD``.  Every story gets a storyline.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from collections import Counter

import numpy as np
import scipy.sparse as sp

from ..model import Story
from . import cluster
from .features import parse_date

# Not tuned on a gold (there is no storyline gold): chosen so that stories of
# one event never need to pass (they are already merged) and two stories of a
# thread with 2+ shared actors and some shared vocabulary join.
THREAD_THRESHOLD = 0.2
THREAD_ENTITY_WEIGHT = 0.2
ENTITY_CAP = 3
MIN_SHARED = 2
MAX_GAP_DAYS = 1100.0      # threads (a war, a campaign) run for years

_NUM = re.compile(r"^[\d.]+$")


def _names(ec: dict[str, int] | set[str]) -> set[str]:
    return {e for e in ec if not _NUM.match(e)}


def link_storylines(stories: list[Story], centroids: sp.csr_matrix, story_ents: list[set[str]],
                    spans: list[tuple[float | None, float | None]], vocab_terms: list[str]) -> list[dict]:
    n = len(stories)
    if n == 0:
        return []
    I, J, cos = cluster.candidate_pairs(centroids, min_sim=0.02)
    names = [_names(e) for e in story_ents]
    W = cos.copy()
    for k, (i, j) in enumerate(zip(I.tolist(), J.tolist())):
        shared = len(names[i] & names[j])
        if shared < MIN_SHARED:
            W[k] = -1.0
            continue
        W[k] += THREAD_ENTITY_WEIGHT * min(shared, ENTITY_CAP) / ENTITY_CAP
        (a0, a1), (b0, b1) = spans[i], spans[j]
        if a0 is not None and b0 is not None:
            gap = max(b0 - a1, a0 - b1, 0.0)
            if gap > MAX_GAP_DAYS:
                W[k] = -1.0
    labels = cluster.average_linkage(n, I, J, W, THREAD_THRESHOLD)
    groups: dict[int, list[int]] = {}
    for i, l in enumerate(labels):
        groups.setdefault(l, []).append(i)

    def start(i: int) -> float:
        return spans[i][0] if spans[i][0] is not None else float("inf")

    ordered = sorted(groups.values(), key=lambda g: (min(start(i) for i in g), min(g)))
    out = []
    for k, g in enumerate(ordered, 1):
        g.sort(key=lambda i: (start(i), i))
        lid = f"l{k}"
        for i in g:
            stories[i].storyline = lid
        firsts = sorted((d, stories[i].first_seen) for i in g
                        if stories[i].first_seen and (d := parse_date(stories[i].first_seen)) is not None)
        lasts = [(spans[i][1], stories[i]) for i in g if spans[i][1] is not None]
        title = stories[g[0]].title          # the earliest story's title
        terms: list[str] = []
        if len(g) > 1:
            # the most characteristic shared names: in at least half of the stories
            cnt = Counter(e for i in g for e in names[i])
            terms = [e for e, c in cnt.items() if c * 2 >= len(g) and c >= 2]
            terms.sort(key=lambda e: (-cnt[e], -len(e), e))
            terms = terms[:5]
            if not title and terms:
                title = " / ".join(terms[:3])
        last_seen = None
        if lasts:
            last_day = max(x[0] for x in lasts)
            last_seen = datetime.fromtimestamp(last_day * 86400.0, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append({"id": lid, "title": title, "stories": [stories[i].id for i in g], "terms": terms,
                    "first_seen": firsts[0][1] if firsts else None, "last_seen": last_seen})
    return out


def membership(groups: list[list[int]], n: int) -> sp.csr_matrix:
    """groups x items 0/1 matrix."""
    rows = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    cols = np.asarray([i for g in groups for i in g], dtype=np.int64)
    return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(groups), n))


def centroid_matrix(X: sp.csr_matrix, groups: list[list[int]]) -> sp.csr_matrix:
    C = membership(groups, X.shape[0]) @ X
    norms = np.sqrt(np.asarray(C.multiply(C).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ C)
