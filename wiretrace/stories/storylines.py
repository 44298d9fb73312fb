"""Storylines: stories that continue one thread (same actors and places,
weeks or months apart, weaker wording overlap than one story).

Each story is summarised by its centroid (mean TF-IDF vector of its members)
and its names (``story_names``: named by at least half of its members).  Candidate
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

from .. import timeorder
from ..model import Story, Storyline
from . import cluster

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


def story_names(counts: dict[str, int], size: int) -> set[str]:
    """A story's thread actors: the names (not numbers) that at least half of its
    ``size`` members name (``counts``: name -> members naming it).  The union of
    every member's names grows with the story: a 20-article story names dozens of
    places and people in passing, and two look-alike events (two rehab stays, two
    earthquakes) then share "two names" by chance.  events-dev, topics whose two
    events share one storyline: 15 of 21 with the union, see bench/README.md
    "Stories" for the count with this rule."""
    return {e for e, c in counts.items() if 2 * c >= size and not _NUM.match(e)}


def thread_weight(cos: float, names_i: set[str], names_j: set[str], span_i, span_j) -> float:
    """A candidate story pair's link weight (module doc); -1: never linked."""
    shared = len(names_i & names_j)
    if shared < MIN_SHARED:
        return -1.0
    w = cos + THREAD_ENTITY_WEIGHT * min(shared, ENTITY_CAP) / ENTITY_CAP
    (a0, a1), (b0, b1) = span_i, span_j
    if a0 is not None and b0 is not None:
        gap = max(b0 - a1, a0 - b1, 0.0)
        if gap > MAX_GAP_DAYS:
            return -1.0
    return w


def _start(span) -> float:
    return span[0] if span[0] is not None else float("inf")


def line_key(spans: list, g: list[int]) -> tuple[float, int]:
    """Storylines are numbered by (earliest story start, smallest story index)."""
    return (min(_start(spans[i]) for i in g), min(g))


def storyline(lid: str, members: list[tuple[int, Story, tuple, set[str]]]) -> Storyline:
    """One storyline from its stories: (index, story, span, names) each; sets
    ``story.storyline``."""
    members = sorted(members, key=lambda m: (_start(m[2]), m[0]))
    for m in members:
        m[1].storyline = lid
    firsts = sorted((timeorder.sort_key(s.first_seen), s.first_seen) for _, s, _, _ in members
                    if timeorder.parse(s.first_seen) is not None)
    lasts = [sp_[1] for _, _, sp_, _ in members if sp_[1] is not None]
    title = members[0][1].title          # the earliest story's title
    terms: list[str] = []
    if len(members) > 1:
        # the most characteristic shared names: in at least half of the stories
        cnt = Counter(e for m in members for e in m[3])
        terms = [e for e, c in cnt.items() if c * 2 >= len(members) and c >= 2]
        terms.sort(key=lambda e: (-cnt[e], -len(e), e))
        terms = terms[:5]
        if not title and terms:
            title = " / ".join(terms[:3])
    last_seen = None
    if lasts:
        last_seen = datetime.fromtimestamp(max(lasts) * 86400.0, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Storyline(lid, title, [m[1].id for m in members], terms, firsts[0][1] if firsts else None, last_seen)


def link_storylines(stories: list[Story], centroids: sp.csr_matrix, story_ents: list[set[str]],
                    spans: list[tuple[float | None, float | None]], vocab_terms: list[str]) -> list[Storyline]:
    n = len(stories)
    if n == 0:
        return []
    I, J, cos = cluster.candidate_pairs(centroids, min_sim=0.02)
    names = [_names(e) for e in story_ents]
    W = np.asarray([thread_weight(c, names[i], names[j], spans[i], spans[j])
                    for i, j, c in zip(I.tolist(), J.tolist(), cos.tolist())], dtype=np.float64)
    labels = cluster.average_linkage(n, I, J, W, THREAD_THRESHOLD)
    groups: dict[int, list[int]] = {}
    for i, l in enumerate(labels):
        groups.setdefault(l, []).append(i)
    ordered = sorted(groups.values(), key=lambda g: line_key(spans, g))
    return [storyline(f"l{k}", [(i, stories[i], spans[i], names[i]) for i in g])
            for k, g in enumerate(ordered, 1)]


def membership(groups: list[list[int]], n: int) -> sp.csr_matrix:
    """groups x items 0/1 matrix."""
    rows = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    cols = np.asarray([i for g in groups for i in g], dtype=np.int64)
    return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(groups), n))


def centroid_matrix(X: sp.csr_matrix, groups: list[list[int]]) -> sp.csr_matrix:
    """Normalised sums of each group's rows (members summed in ascending order;
    per row, so a distributed engine summing one group at a time agrees)."""
    from .features import normalise_rows
    return normalise_rows(membership([sorted(g) for g in groups], X.shape[0]) @ X)
