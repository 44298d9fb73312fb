"""Derivations: which article copied which, wholly or partially, credited or not.

1. Candidate pairs come from the shingle index (``candidate_pairs``), never all pairs.
2. Each pair is oriented (publication time; else dateline agency, credits, and
   which text is more contained in the other) and aligned sentence by sentence
   (``wiretrace.reuse.align``).
3. For each target, of two candidate sources where one was itself derived from
   the other, the target keeps the one it is closer to: the copy when the target
   matches the copy's wording better more often (a copy of a copy keeps its
   parent's edits and own paragraphs), else the older one (two siblings, or a
   plain re-post); a tie goes to the credited one, then to the older.  Then every
   aligned target sentence is given to the single remaining source that explains
   it best (highest coverage; ties: the source explaining most of the target).
4. A source is kept when the sentences it explains hold enough prose outside
   quotes: two outlets quoting the same briefing are not copying each other,
   while a patchwork keeps one small derivation per stitched source.
"""
from __future__ import annotations

import os
import time
from collections import OrderedDict, defaultdict

import numpy as np
import xxhash

from wiretrace import timeorder
from wiretrace.model import Article, Derivation, Evidence, SharedSibling
from wiretrace.reuse import align as al
from wiretrace.trace.credit import credit_cue, outlet_credit_cue
from wiretrace.trace.direction import carried_pair, day_shift_cue, orient, own_outlet, wire_copy
from wiretrace.registry import by_name
from wiretrace import guard
from wiretrace.parallel import chunks, n_workers, run
from wiretrace.unionfind import DisjointSets

# --- tuned numbers (evidence: derivations-dev, bench/dev_derivations.py) -----
CANDIDATE_SAMPLE_MOD = 2
CANDIDATE_MIN_SHARED = 2
# ... but a pair of an agency's own copy and a text that is none needs only this
# many shared fingerprints: the copy is made to be rewritten, and its subscribers
# keep few of its words (a clause here, a sentence there, spread over the takes
# of one story).  wire-dev, 1 against 2 (dates given / undated / next day / no
# outlets): coverage 271 -> 280 / 270 -> 279 / 274 -> 283 / 273 -> 280 of 469,
# newspaper -> newspaper 7 -> 4 (no outlets 9 -> 6), across stories unchanged;
# candidate pairs 2,182 -> 2,926.  Sampling every fingerprint instead
# (CANDIDATE_SAMPLE_MOD 1) found a little more (282) at 1.7x the stage's time on
# bench/reuse_bench.py --stage full 10000 (18.2 -> 30.4 s).
AGENCY_MIN_SHARED = 1
# A source must explain at least this many target tokens outside quotes ...
# (derivations-dev, swept 8/12/16/20: pair P 0.944/0.977/0.981/0.980,
# patchRecall 1/1/0.96/0.92)
MIN_NONQUOTE_TOKENS = 12
# ... of which one sentence, itself covered at STRONG_UNIT_SCORE or more, at least
# this many (a real copied prose sentence).  derivations-dev: every true source
# has such a sentence, while the false pairs (independent coverage naming the
# same people, "Ohio Gov. John Kasich and New Jersey Gov. Chris Christie")
# only had partial matches of 0.58-0.64; swept 0.7/0.8/0.9, 0.8 kept all true pairs.
MIN_BEST_SENTENCE_NONQUOTE = 7
STRONG_UNIT_SCORE = 0.8
# ... or, in place of that sentence, clauses taken word for word into rewritten
# sentences (``reuse.align.RUN_TOKENS``, evidence there): runs of this many tokens
# in all.  A partial rewrite keeps its source's phrasing in pieces ("a consultant
# gynaecologist nibbled at a patient's ear then told her it was all part of her
# treatment"); independent reports of one event share names and a formula or two.
RUN_TOTAL = 16
# Sentences found in more than this many articles are page furniture, not copy
# (derivations-dev, swept 3/6/10: pair F1 0.971/0.976/0.976; its sources have up
# to 4 copies, so a sentence of a source is in up to ~6 articles).
MAX_UNIT_DF = 6
# ... unless at least this many sentences of the article, making up this share
# of it, share its set of articles: a story, not a block of template lines
# (derivations-dev scores do not move with it; set from tests/trace: a 7-sentence
# story re-posted by 10 sites vs. 3 template lines shared by 8 pages).
MIN_STORY_UNITS = 5
MIN_STORY_SHARE = 0.25
# Sources weighed per target (the best-covering ones; ties: the earliest): bounds
# the work for a story re-posted by hundreds of sites.  Patchworks use <= 7.
MAX_SOURCES_PER_TARGET = 40
# Scores closer than this count as a tie when choosing a sentence's source
# (derivations-dev, swept 0/0.03/0.08: pair F1 0.976/0.976/0.979; kept small).
TIE = 0.03
# A target with this many sources is a patchwork; there, one further sentence
# copied nearly whole (quotes included) from another earlier article also makes
# a source (derivations-dev: many patchwork sources give a single, mostly quoted
# sentence; this rule took the stitched pairs found from 139/150 to 147/150,
# false rate unchanged at 0; PATCH_UNIT_TOKENS swept 6/10/14: 14 loses 3 pairs).
PATCH_MIN_SOURCES = 3
PATCH_UNIT_SCORE = 0.85
PATCH_UNIT_TOKENS = 10
# wholly: nearly all of the copy comes from the source (a re-post cut short or
# missing its last paragraph still covers a good part of the source).
# derivations-dev on cleaned text: gold republications have share >= 0.86 (source
# cover >= 0.45), rewrites share <= 0.83 as they add background paragraphs; a
# first cut at share 0.6 gave kindAcc 0.89, this one 1.000.
WHOLLY_SOURCE_COVER = 0.25
WHOLLY_TARGET_SHARE = 0.85
# Two articles are siblings through a common source when "mostly" (more than
# half, by copied tokens) of the text they share is in that source too.  A
# definition (issue 12), not tuned.
SIBLING_SHARE = 0.5
# Articles whose alignment structures are kept at once (LRU).  bench/reuse_bench.py
# --stage full: ~0.1-0.3 MB each; candidate pairs are worked through one connected
# group at a time, so a cache far smaller than the corpus builds each article once.
DOC_CACHE = 1024


def _time(s: str | None) -> float | None:
    """Seconds since the epoch of the start of ``s`` (a date: its day), for ranking."""
    w = timeorder.parse(s)
    return None if w is None else w.start


def text_candidates(texts: list[str], workers: int = 1, agency=None) -> list[tuple[int, int, float]]:
    """Candidate pairs of ``texts``; ``agency`` (one bool a text, or None): which are
    an agency's own copy (``AGENCY_MIN_SHARED``)."""
    from wiretrace.reuse.candidates import candidate_pairs
    # Patchworks take single sentences (~20 shingles): sampling 1 shingle in 2 for
    # the containment path finds them.  derivations-dev, gold pairs among the
    # candidates: sample_mod 8 -> 291/312 (533 pairs), 4 -> 308 (672),
    # 2 -> 311 (844), 1 -> 311 (1882).
    return candidate_pairs(texts, n=5, sample_mod=CANDIDATE_SAMPLE_MOD, min_shared=CANDIDATE_MIN_SHARED,
                           workers=workers, lenient=agency, lenient_min_shared=AGENCY_MIN_SHARED)


def is_agency_copy(a: Article) -> bool:
    """Whether ``a`` is an agency's own copy (``wire_copy``)."""
    return wire_copy(a) is not None


def agency_flags(articles) -> np.ndarray:
    """One bool an article: ``is_agency_copy``."""
    return np.array([is_agency_copy(a) for a in articles], dtype=bool)


def own_copy(src: Article, tgt: Article, docs: tuple[al.Doc, al.Doc], votes: dict | None) -> dict | None:
    """{"outlet", "source_day", "target_day"} when ``src`` is ``tgt``'s own outlet's
    text of another calendar day (both dated to the day at least; an outlet
    inferred from a dateline does not count), else None.  Such a pair is an outlet
    re-running its own background, listed under ``own_reuse``: not who copied whom.
    Versions of one day (an agency's takes and updates) stay derivations, a wire
    lineage.  wire-dev (dates as given): 8 of its 9 derivations across gold
    stories were such pairs (PA's and the Telegraph's own paragraphs of an earlier
    day of a running court case); derivations-dev, events-dev and the second
    corpus have none.

    Without both days, two texts of one outlet that is not writing as an agency
    are its own text all the same (a re-run or a new version: no one copied
    anyone), the days given as None.  Between two copies of one agency, whose
    versions of one day form a wire lineage, the text must show the day moved:
    the direction was read off the deixis (``votes``: the source's "today" is the
    target's "yesterday" / "on Monday") on the sentences they share (``docs``:
    the source's and the target's ``al.Doc``; ``direction.day_shift_cue``).  The
    entry then has ``day_shift``: {"source", "target"}, the first such sentence
    of each, and the days it has (None when undated).  wire-dev
    without dates: one PA copy of a hearing's second day that re-ran the first
    day's background; no two versions of one day's story read so (every pair of
    PA copies of one catchline name, 263 same-day pairs: none)."""
    o = own_outlet(src, tgt)
    if o is None:
        return None
    ds, dt = timeorder.day_of(src.published), timeorder.day_of(tgt.published)
    entry = {"outlet": o, "source_day": ds and ds.isoformat(), "target_day": dt and dt.isoformat()}
    if ds is not None and dt is not None:
        return None if ds == dt else entry
    if not is_agency_copy(src) and not is_agency_copy(tgt):
        # a paper's (or a site's) own text, on a day not known: a re-run or a new
        # version of its own story, not who copied whom (wire-dev without dates: one
        # pair, the Telegraph's Pinochet report of one day re-running two of its
        # sentences of the day before; the other dev sets have no such pair)
        return entry
    if not votes or votes.get("deixis") != 1:
        return None
    shift = day_shift_cue(src, tgt, *docs)
    return None if shift is None else {**entry, "day_shift": shift}


def unit_doc(a: Article) -> al.Doc:
    # the article's quotes are among the text's quoted stretches (one reader:
    # segment.quotes.quoted_stretches), which prepare marks by default
    return al.prepare(a.text, a.sentences or None)


def _orient(a: Article, b: Article, da: al.Doc, db: al.Doc) -> tuple[int, str, dict]:
    """+1 when ``a`` is the source, -1 when ``b`` is; with the reason and the votes
    (``wiretrace.trace.direction``)."""
    return orient(a, b, da, db)


class DocCache:
    """Alignment structures (``reuse.align.Doc``, ~100-300 KB each) built when an
    article is first needed and dropped, least recently used first, beyond
    ``size``: memory stays bounded whatever the corpus size."""

    def __init__(self, articles, size: int):
        self.articles, self.size = articles, max(2, size)
        self.docs: OrderedDict[int, al.Doc] = OrderedDict()
        self.built = 0

    def __getitem__(self, i: int) -> al.Doc:
        d = self.docs.get(i)
        if d is not None:
            self.docs.move_to_end(i)
            return d
        d = self.docs[i] = unit_doc(self.articles[i])
        self.built += 1
        if len(self.docs) > self.size:
            self.docs.popitem(last=False)
        return d


def find_derivations(articles: list[Article], pairs: list[tuple[int, int, float]] | None = None,
                     cache_size: int = DOC_CACHE, stats: dict | None = None,
                     workers: int | None = None) -> list[Derivation]:
    """One ``Derivation`` per (direct source, target) pair.

    The in-memory driver of four pieces that the Spark driver
    (``wiretrace.spark.engine``) calls around its shuffles: ``furniture_of``
    (per article, given its sentences' posting keys), ``match_pair`` (per
    candidate pair), ``is_derived`` (the raw derived-from edges) and
    ``derive_target`` (per target).

    Memory is bounded: every article contributes only its sentence hashes (the
    furniture index); alignment structures are built for the articles of
    candidate pairs, which are worked through one connected group at a time,
    and kept in an LRU cache of ``cache_size`` articles (per worker).
    ``workers``: processes for the pair and target steps (default: the CPUs
    this process may use; 1 = none); the result does not depend on it.
    ``stats``, when given, receives seconds per step and counts."""
    if len(articles) < 2:
        return []
    clock = time.perf_counter()
    nw = n_workers(workers)
    furniture = furniture_index(articles, nw)
    t_furn = time.perf_counter()
    if pairs is None:
        pairs = text_candidates([a.text for a in articles], nw, agency_flags(articles))
    t_cand = time.perf_counter()
    # Connected groups of pairs that fit the cache are worked through whole (each
    # article built once); a larger group (a giant component of weak candidate
    # links) in two steps over all its pairs, then all its targets.
    small, big = [], []
    for g in _pair_groups(pairs):
        (big if len({x for p in g for x in p[:2]}) > cache_size // 2 else small).append(g)
    big_pairs = [p for g in big for p in g]
    if len(pairs) < PARALLEL_MIN_PAIRS:
        nw = 1
    # what every task reads (each worker process keeps its own cache of built articles in it)
    job = {"articles": articles, "furniture": furniture, "groups": small, "pairs": big_pairs, "cache": cache_size}
    built = 0
    out: list[Derivation] = []
    tasks = ([("groups", lo, hi) for lo, hi in chunks([len(g) for g in small], nw)]
             + [("pairs", lo, hi) for lo, hi in chunks([1] * len(big_pairs), nw)])
    by_target: dict[int, dict[int, dict[int, al.UnitMatch]]] = defaultdict(dict)
    how: dict[tuple[int, int], str] = {}
    for kind, found, n_built in run(_task, tasks, nw, fresh=True, shared=job):
        built += n_built
        if kind == "groups":
            out.extend(found)
            continue
        for s, t, why, ms in found:            # pair order: a target's sources in sorted pair order
            by_target[t][s] = ms
            how[(s, t)] = why
    if by_target:
        targets = list(by_target)
        job = {**job, "by_target": by_target, "how": how, "derived_from": _derived_edges(by_target),
               "copies": _copies(articles, by_target), "targets": targets}
        for kind, found, n_built in run(_task, [("targets", lo, hi) for lo, hi in
                                                  chunks([1] * len(targets), nw)], nw, fresh=True, shared=job):
            built += n_built
            out.extend(found)
    out.sort(key=lambda d: (d.target, d.source))
    if stats is not None:
        stats.update(furniture_s=round(t_furn - clock, 2), candidates_s=round(t_cand - t_furn, 2),
                     align_s=round(time.perf_counter() - t_cand, 2), pairs=len(pairs),
                     docs_built=built, articles=len(articles), workers=nw)
    return out


# Below this many candidate pairs the steps run in this process (starting
# workers costs ~0.1 s; bench/reuse_bench.py --stage full: 1k articles, 258 pairs,
# 1.5 s of alignment).
PARALLEL_MIN_PAIRS = 2000

# ... and the sentence keys of fewer articles than this (~1 ms an article).
PARALLEL_MIN_ARTICLES = 5000


def _worker_docs(job: dict) -> DocCache:
    d = job.get("docs")
    if d is None or d[0] != os.getpid():      # one cache per process
        d = job["docs"] = (os.getpid(), DocCache(job["articles"], job["cache"]))
    return d[1]


def _task(job: dict, task: tuple[str, int, int]):
    """One unit of work: ``groups`` (whole groups: their derivations), ``pairs``
    (matches of a large group's pairs) or ``targets`` (derivations of a large
    group's targets); with the number of articles prepared for it."""
    kind, lo, hi = task
    arts = job["articles"]
    docs = _worker_docs(job)
    before = docs.built
    if kind == "groups":
        found = []
        for g in job["groups"][lo:hi]:
            by_target: dict = defaultdict(dict)
            how: dict = {}
            for s, t, why, ms in _match_pairs(job, g, docs):
                by_target[t][s] = ms
                how[(s, t)] = why
            derived_from = _derived_edges(by_target)
            copies = _copies(arts, by_target)
            for t, srcs in by_target.items():
                found.extend(_guarded_target(arts, docs, t, srcs, how, derived_from, copies.get(t)))
    elif kind == "pairs":
        found = _match_pairs(job, job["pairs"][lo:hi], docs)
    else:
        by_target, how, derived_from = job["by_target"], job["how"], job["derived_from"]
        copies = job["copies"]
        found = [d for t in job["targets"][lo:hi]
                 for d in _guarded_target(arts, docs, t, by_target[t], how, derived_from, copies.get(t))]
    return kind, found, docs.built - before


def _guarded_target(arts, docs, t, srcs, how, derived_from, copies=None) -> list[Derivation]:
    """``derive_target`` under a guard: a target that fails has no derivations and a problem entry."""
    return guard.attempt("derivations", derive_target, arts, docs, t, srcs, how, derived_from, copies,
                         origin=arts[t].origin, article=arts[t].id, what="the sources of this article",
                         default=[])


def _match_pairs(job: dict, pairs, docs) -> list:
    arts, furn = job["articles"], job["furniture"]
    found = []
    for i, j, _ in pairs:
        r = guard.attempt("derivations", lambda: match_pair(i, j, arts[i], arts[j], docs[i], docs[j],
                                                           furn.get(i, _NONE), furn.get(j, _NONE)),
                          origin=arts[j].origin, article=arts[j].id, what=f"the pair {arts[i].id} / {arts[j].id}")
        if r is not None:
            found.append(r)
    return found


def _derived_edges(by_target) -> set:
    """Raw "is derived from" edges, used to tell a parent from a grandparent or an uncle."""
    return {(s, t) for t, srcs in by_target.items() for s, ms in srcs.items() if is_derived(ms)}


def _copies(articles, by_target) -> dict:
    """Per article, the matches of the pairs it is the source of that can bear on
    the joint reading of an agency copy (``may_bear``): {source: {target: matches}}."""
    out: dict = defaultdict(dict)
    for t, srcs in by_target.items():
        for s, ms in srcs.items():
            if may_bear(articles[s], articles[t], ms):
                out[s][t] = ms
    return out


def may_bear(src: Article, tgt: Article, ms: dict[int, al.UnitMatch]) -> bool:
    """Whether the pair ``src`` -> ``tgt`` can be evidence for ``src``'s joint reading
    (``_agency_first``): two outlets' texts of one day (or undated), neither an agency
    copy, the pair passing the derivation test.  Both engines send only these pairs
    back to their source."""
    return (_strong(list(ms.values())) and timeorder.compare(tgt.published, src.published) in (0, None)
            and wire_copy(src) is None and wire_copy(tgt) is None)


_NONE: frozenset = frozenset()


def _pair_groups(pairs):
    """The candidate pairs cut into connected groups (in the order of each group's
    first pair), each group's pairs in the given order."""
    sets = DisjointSets()
    for i, j, _ in pairs:
        sets.union(i, j)
    groups: dict[int, list] = {}
    for p in pairs:
        groups.setdefault(sets.find(p[0]), []).append(p)
    return list(groups.values())


def _unit_keys_chunk(articles: list[Article], bounds: tuple[int, int]) -> list[tuple[np.ndarray, np.ndarray]]:
    """(unit lengths, unit hashes) of the articles ``bounds`` of ``articles``."""
    out = []
    for a in articles[bounds[0]:bounds[1]]:
        units, hs = al.unit_keys(a.text, a.sentences or None)
        out.append((np.fromiter((e - b for b, e in units), dtype=np.int64, count=len(units)),
                    np.fromiter(hs, dtype=np.uint64, count=len(hs))))
    return out


def furniture_index(articles: list[Article], workers: int = 1) -> dict[int, set[int]]:
    """Article number -> its furniture sentences (only articles that have any).

    Page furniture: a sentence seen in many articles is nobody's copy ... unless
    it travels with the rest of a story: the sentences of a wire story re-posted
    by dozens of sites all occur in the same set of articles, while a template
    line ("Sign up for our newsletter ...") occurs in its own set.  Built from a
    64-bit hash per sentence (numpy sort), so it costs ~1 KB per article."""
    lens: list[np.ndarray] = []
    hashes: list[np.ndarray] = []
    if len(articles) < PARALLEL_MIN_ARTICLES:
        workers = 1
    for part in run(_unit_keys_chunk, chunks([1] * len(articles), workers), workers, fresh=True, shared=articles):
        for ln, hs in part:
            lens.append(ln)
            hashes.append(hs)
    uniq = [np.unique(h) for h in hashes]
    if not uniq:
        return {}
    H = np.concatenate(uniq)
    D = np.repeat(np.arange(len(uniq), dtype=np.int64), [len(u) for u in uniq])
    del uniq
    order = np.lexsort((D, H))
    H, D = H[order], D[order]
    del order
    starts = np.flatnonzero(np.r_[True, H[1:] != H[:-1]]) if len(H) else np.zeros(0, dtype=np.int64)
    counts = np.diff(np.r_[starts, len(H)])
    big = counts > MAX_UNIT_DF
    # a sentence in many articles -> a stand-in for its set of articles
    key = {int(H[b]): xxhash.xxh3_64_intdigest(D[b:b + c].tobytes())
           for b, c in zip(starts[big].tolist(), counts[big].tolist())}
    if not key:
        return {}
    hit = np.fromiter(key, dtype=np.uint64, count=len(key))
    out: dict[int, set[int]] = {}
    for i in np.unique(D[np.isin(H, hit)]).tolist():
        f = furniture_of(lens[i].tolist(), [key.get(h) for h in hashes[i].tolist()])
        if f:
            out[i] = f
    return out


def furniture_of(lengths: list[int], keys: list) -> set[int]:
    """The furniture sentences of one article, given each sentence's length in
    characters.  ``keys[u]`` stands for the set of articles that hold sentence
    ``u`` when that set is larger than ``MAX_UNIT_DF`` (else None); only equality
    of keys matters, so any stand-in (the index tuple, a hash of it) gives the
    same answer."""
    n_sets: dict = defaultdict(int)
    chars: dict = defaultdict(int)
    for u, k in enumerate(keys):
        if k is not None:
            n_sets[k] += 1
            chars[k] += lengths[u]
    body = sum(lengths) or 1
    return {u for u, k in enumerate(keys) if k is not None and not (
        n_sets[k] >= MIN_STORY_UNITS and chars[k] >= MIN_STORY_SHARE * body)}


def match_pair(i: int, j: int, ai: Article, aj: Article, di: al.Doc, dj: al.Doc,
               fi: set[int], fj: set[int]):
    """Orient and align one candidate pair: ``(source, target, reason, {t_unit:
    UnitMatch})``, or None when nothing but furniture (or nothing) aligns."""
    if i == j:
        return None
    o, why, votes = _orient(ai, aj, di, dj)
    # votes as seen from the chosen source: +1 for it, -1 against it
    votes = {k: (v * o if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in votes.items()}
    why = {"by": why, **({"votes": votes} if votes else {})}
    s, t = (i, j) if o > 0 else (j, i)
    ds, dt, ft = (di, dj, fj) if o > 0 else (dj, di, fi)
    src, tgt = (ai, aj) if o > 0 else (aj, ai)
    ms = {m.t_unit: m for m in al.align_docs(ds, dt, runs=runs_count(src, tgt))}
    for m in ms.values():
        m.furniture = m.t_unit in ft
    if any(not m.furniture for m in ms.values()):
        return s, t, why, ms
    return None


def runs_count(src: Article, tgt: Article) -> bool:
    """Whether clauses taken word for word (``RUN_TOTAL``) may stand for a copied
    sentence: only from an agency's own copy into a text that is none, the copy
    made to be rewritten by its subscribers.  Between two other outlets, runs are
    what competitors share through the agency: wire-dev (dates as given) with runs
    counted for every pair, newspaper -> newspaper rose 8 -> 12 and two PA copies
    that quote a paper's interview became its copies (wrong way 0 -> 2); with this
    condition, see bench/README (fourteenth session)."""
    return is_agency_copy(src) and not is_agency_copy(tgt)


def is_derived(ms: dict[int, al.UnitMatch]) -> bool:
    """Whether a pair's matches make a raw "derived from" edge."""
    return _strong(list(ms.values()))


def derive_target(articles, docs, t: int, srcs: dict[int, dict[int, al.UnitMatch]], how, derived_from,
                  copies=None) -> list[Derivation]:
    """The derivations into target ``t``.  ``articles`` and ``docs`` are indexed by
    article number (a list, or a dict holding ``t`` and its sources); ``srcs``
    must be in the order the pairs were met (sorted by (min, max) index);
    ``derived_from`` needs only the edges between sources of ``t``; ``copies``:
    {article: matches} of the pairs ``t`` is the source of that pass ``may_bear``
    (``articles`` holding those articles too), or None."""
    if len(srcs) > MAX_SOURCES_PER_TARGET:
        keep = sorted(srcs, key=lambda s: (-sum(m.covered for m in srcs[s].values() if not m.furniture),
                                           _time(articles[s].published) or 0.0, articles[s].id))
        srcs = {s: srcs[s] for s in keep[:MAX_SOURCES_PER_TARGET]}
    return _derive_target(articles, docs, t, srcs, how, derived_from, copies)


def _assign(srcs: dict[int, dict[int, al.UnitMatch]], allowed, rank) -> dict[int, int]:
    best: dict[int, int] = {}
    units = {u for s in allowed for u in srcs[s]}
    for u in units:
        cands = [(srcs[s][u].score, s) for s in allowed if u in srcs[s]]
        top = max(c[0] for c in cands)
        tied = [s for sc, s in cands if sc >= top - TIE]
        best[u] = max(tied, key=rank)
    return best


def _strong(ms: list[al.UnitMatch]) -> bool:
    ms = [m for m in ms if not m.furniture]
    if not ms:
        return False
    nq = sum(m.nonquote for m in ms)
    return nq >= MIN_NONQUOTE_TOKENS and (_copied_sentence(ms) or sum(m.run for m in ms) >= RUN_TOTAL)


def _copied_sentence(ms: list[al.UnitMatch]) -> bool:
    """Whether one of the (non-furniture) matches is a copied prose sentence."""
    return max((m.nonquote for m in ms if m.score >= STRONG_UNIT_SCORE), default=0) >= MIN_BEST_SENTENCE_NONQUOTE


def _kept_clauses(ms: list[al.UnitMatch]) -> int | None:
    """The run tokens a derivation rests on, when no sentence of it is a copied
    one (``_strong``'s second way), else None."""
    ms = [m for m in ms if not m.furniture]
    return None if _copied_sentence(ms) else (sum(m.run for m in ms) or None)


def _closest(srcs: dict[int, dict[int, al.UnitMatch]], derived_from: set, credited: set | None = None,
             siblings: dict | None = None) -> set[int]:
    """Sources left once, for every two of them where one (``b``) was itself
    derived from the other (``a``), the one the target is further from is dropped.
    On the target sentences both explain, ``b`` wins when it matches better more
    often than ``a`` does (the target kept ``b``'s edits: a copy of the copy);
    otherwise ``a`` stays (``b`` is a sibling, or a plain re-post of ``a``).
    ``siblings``, when given, receives {b: (a, share)} for every ``b`` dropped in
    favour of its own source ``a``: the target and ``b`` are siblings through
    ``a`` (``share``: of the target text ``b`` explains, the part ``a`` explains too)."""
    drop: set[int] = set()
    # A source derived from several other sources of the target (a newspaper story
    # written from three takes of one wire story) is measured against all of them
    # at once: the target that matches those takes as well as it matches the story
    # is its sibling, not its copy.
    for b in srcs:
        anc = [a for a in srcs if a != b and (a, b) in derived_from]
        if len(anc) < 2:
            continue                     # one source of b: the pairwise rule below
        mb = srcs[b]
        wa = wb = 0
        for u in set(mb).union(*(srcs[a].keys() for a in anc)):
            m0 = mb.get(u) or next(srcs[a][u] for a in anc if u in srcs[a])
            if m0.furniture:
                continue
            sa = max((srcs[a][u].score for a in anc if u in srcs[a]), default=0.0)
            sb = mb[u].score if u in mb else 0.0
            if sb > sa + TIE:
                wb += 1
            elif sa > sb + TIE:
                wa += 1
        if wb > wa or (wb == wa and credited is not None and b in credited
                       and not any(a in credited for a in anc)):
            continue
        drop.add(b)
        if siblings is not None:
            main = max(anc, key=lambda a: (sum(m.covered for u, m in mb.items() if u in srcs[a]), -a))
            siblings.setdefault(b, (main, _shared_in(mb, set().union(*(srcs[a].keys() for a in anc)))))
    grouped = set(drop)
    for a in srcs:
        for b in srcs:
            if a == b or (a, b) not in derived_from or b in grouped:
                continue
            ma, mb = srcs[a], srcs[b]
            wa = wb = 0
            for u in ma.keys() | mb.keys():
                if (ma.get(u) or mb.get(u)).furniture:
                    continue
                sa = ma[u].score if u in ma else 0.0
                sb = mb[u].score if u in mb else 0.0
                if sb > sa + TIE:
                    wb += 1
                elif sa > sb + TIE:
                    wa += 1
            if wb == wa and credited is not None and (b in credited) != (a in credited):
                loser = a if b in credited else b      # a tie: the credited one
            else:
                loser = a if wb > wa else b
            drop.add(loser)
            if loser == b and siblings is not None:
                siblings.setdefault(b, (a, _shared_in(mb, ma)))
    keep = set(srcs) - drop
    return keep or set(srcs)


def _shared_in(mb: dict[int, al.UnitMatch], explained) -> float:
    """Of the target text ``mb`` explains, the share (by copied tokens) in the target
    units ``explained`` (another source's matches, or a set of units) too."""
    cov = [(m.covered, u in explained) for u, m in mb.items() if not m.furniture]
    return round(sum(c for c, inn in cov if inn) / (sum(c for c, _ in cov) or 1), 3)


def _agency_first(articles, tdoc: al.Doc, t: int, srcs: dict[int, dict[int, al.UnitMatch]], credit: dict,
                  copies: dict | None = None):
    """``(srcs, set_aside)``: the target's candidate sources less the rewrites set
    aside for an agency copy, and ``(agency copies, {rewrite: its matches}, weak)``
    (None when nothing was set aside).

    When an agency's own copy explains the target on its own (the pair passes the
    derivation test), another outlet's text that nothing dates before the target
    (the same day without times, or undated), that is no agency copy and that the
    target does not credit, is not taken as a source, however closely the target
    follows it: two outlets sharing text on the day both drew on the agency most
    likely share a version of the agency copy (a later take the corpus lacks), not
    each other's story.  A target that is nearly all that text (a re-post: it
    explains ``WHOLLY_TARGET_SHARE`` of the target) keeps it as its source.
    wire-dev (dates as given): newspaper -> newspaper 39 -> 16, coverage 201 -> 214
    of 469; derivations-dev unchanged (its agency copies are timed).

    When no agency copy explains the target on its own, the same holds if the day's
    text is shown to flow from one (``weak``): an agency copy shares at least a
    sentence's worth of words with the target (``_drawn_on``), and some of the text
    the target shares with another outlet's same-day text (a pair that passes the
    derivation test, whichever way the text turned it: ``copies`` holds the pairs
    the target is the source of, ``may_bear``) is that agency copy's text too.  The
    agency copy is then the target's source on that joint evidence
    (``evidence.joint_with_set_aside``), and the other outlet is named beside it.
    The target must not be an agency copy itself (newspapers taking its text say
    nothing of where it came from).  wire-dev: newspaper -> newspaper 16 -> 8,
    coverage 214 -> 235 of 469 (dates as given; undated 17 -> 8, next day 16 -> 8);
    derivations-dev, events-dev, stories-dev and the second corpus unchanged.
    Sweep (target side only; given / undated / next day newspaper -> newspaper):
    the words an agency copy shares 5 / 7 / 10 -> 8 / 8 / 10 (7 kept:
    ``MIN_BEST_SENTENCE_NONQUOTE``, one sentence); the overlap asked of the shared
    text any / >= 0.2 of it -> 8 / 12 (any kept); only the outlets whose shared
    text overlaps the agency copy set aside (not all of the day's) -> 9 / 9 / 9
    (all kept, as when the agency copy stands alone).  Both ends (``copies``), words
    counted with quotes / outside quotes only: newspaper -> newspaper 8 / 9,
    coverage 235 / 231 (with quotes kept: an agency's cut of the same quotes is its
    text too)."""
    wired = {s for s in srcs if wire_copy(articles[s]) is not None}
    agency = {s for s in wired if _strong(list(srcs[s].values()))}
    weak = not agency
    if weak:
        if wire_copy(articles[t]) is not None:
            return srcs, None            # an agency copy is not read jointly (see above)
        agency = {s for s in wired if _drawn_on(srcs[s].values())}
    if not agency:
        return srcs, None
    tp = articles[t].published
    aside = {b: srcs[b] for b in srcs
             if b not in wired and not credit[b]
             and timeorder.compare(articles[b].published, tp) in (0, None)
             and _target_share(tdoc, srcs[b].values()) < WHOLLY_TARGET_SHARE}
    if weak:
        # the same-day outlets that took text from the target (``copies`` holds only
        # pairs that pass ``may_bear``), their matches keyed by the target's units
        later = {b: {su: m for m in ms.values() if not m.furniture for su in m.s_units}
                 for b, ms in (copies or {}).items()
                 if b not in srcs and not credit_cue(articles[b], articles[t])}
        # the agency copies whose text some same-day rewrite shares with the target
        agency = {a for a in agency if any(_strong(list(ms.values())) and _overlaps(ms, srcs[a])
                                           for ms in aside.values())
                  or any(_overlaps(ms, srcs[a]) for ms in later.values())}
        if not agency:
            return srcs, None
        kept = {s: ms for s, ms in srcs.items() if s not in aside}
        aside = {**aside, **later}
        return kept, (agency, aside, weak)
    if not aside:
        return srcs, None
    return {s: ms for s, ms in srcs.items() if s not in aside}, (agency, aside, weak)


def _joint_versions(articles, srcs: dict[int, dict[int, al.UnitMatch]], derived_from: set, weak,
                    per: dict[int, list[al.UnitMatch]], kept_already=()) -> dict[int, list[int]]:
    """{version: the other versions} for the agency copies among ``weak`` (sources
    left that fail the derivation test on the target sentences assigned to them)
    whose lineage passes it: the versions of one agency's copy among the target's
    sources, linked by "derived from" edges (takes, updates, new leads), their
    matches taken together.  A newspaper written from several takes of one wire
    story has its sentences split between them (each sentence goes to one source,
    and the versions share most sentences), and may match the earlier takes better
    than the update that carries them all (``_closest`` keeps those): no take passes
    alone, the lineage does.  Each version kept holds a sentence's worth of the
    target (``_drawn_on``); an agency a version of which is a source already is not
    read again.  wire-dev: see bench/README, fifteenth session."""
    agency: dict[int, str] = {}
    for s in srcs:
        w = wire_copy(articles[s])
        if w is not None and w.get("agency"):
            o = by_name(w["agency"])
            agency[s] = o.name if o is not None else w["agency"].strip().lower()
    if not any(s in agency for s in weak):
        return {}
    done = {agency.get(s) for s in kept_already}
    sets = DisjointSets()
    # the edges between these sources only (``derived_from`` may hold a whole group's)
    for x in agency:
        for y in agency:
            if x != y and agency[x] == agency[y] and (x, y) in derived_from:
                sets.union(x, y)
    lineages: dict[int, list[int]] = defaultdict(list)
    for s in sorted(agency):
        lineages[sets.find(s)].append(s)
    out: dict[int, list[int]] = {}
    for lineage in lineages.values():
        if agency[lineage[0]] in done:
            continue
        kept = [s for s in lineage if s in weak and _drawn_on(per.get(s, ()))]
        if not kept:
            continue
        union: dict[int, al.UnitMatch] = {}
        for s in lineage:
            for u, m in srcs[s].items():
                if u not in union or m.covered > union[u].covered:
                    union[u] = m
        if _strong(list(union.values())):
            for s in kept:
                out[s] = [x for x in lineage if x != s]
    return out


def _drawn_on(ms) -> bool:
    """An agency copy's matches ``ms`` hold a sentence's worth of the target's words."""
    return sum(m.covered for m in ms if not m.furniture) >= MIN_BEST_SENTENCE_NONQUOTE


def _overlaps(mb: dict[int, al.UnitMatch], ma: dict[int, al.UnitMatch]) -> bool:
    """Some target text ``mb`` explains (not furniture) is explained by ``ma`` too."""
    return any(u in ma and not m.furniture for u, m in mb.items())


def _target_share(tdoc: al.Doc, ms) -> float:
    """The share of the target's text (characters) that matches ``ms`` cover."""
    body = sum(e - s for s, e in tdoc.units) or 1
    return sum(m.t_span[1] - m.t_span[0] for m in ms if not m.furniture) / body


def _fill_short(tdoc: al.Doc, docs, best: dict[int, int], srcs) -> list[al.UnitMatch]:
    """Short sentences ("But for whom?", "I know.") are too short to align on
    their own; one next to a copied sentence that also stands next to it in the
    same source goes with it.  Updates ``best``."""
    out = []
    n_units = len(tdoc.units)
    changed = True
    while changed:
        changed = False
        for u in range(n_units):
            if u in best:
                continue
            a, b = tdoc.unit_tok[u]
            if not 0 < b - a < al.MIN_UNIT_TOKENS:
                continue
            for v, step in ((u - 1, 1), (u + 1, -1)):
                if v not in best:
                    continue
                s = best[v]
                m = srcs[s].get(v) if v in srcs[s] else next((x for x in out if x.t_unit == v), None)
                if m is None:
                    continue
                sdoc = docs[s]
                near = m.s_units[-1] + 1 if step == 1 else m.s_units[0] - 1
                hit = next((su for su in (near, m.s_units[-1] if step == 1 else m.s_units[0])
                            if 0 <= su < len(sdoc.units) and tdoc.unit_norm[u] in sdoc.unit_norm[su]), None)
                if hit is None:
                    continue
                nq = sum(1 for i in range(a, b) if not tdoc.quoted[i])
                out.append(al.UnitMatch(u, (hit,), 1.0, b - a, nq, True, tdoc.units[u], sdoc.units[hit]))
                best[u] = s
                changed = True
                break
    return out


def _carried(src: Article, tgt: Article) -> dict | None:
    """``direction.carried_pair``, unless the target names the source's outlet (a
    republication saying which site it took the agency's story from: a derivation)."""
    c = carried_pair(src, tgt)
    return None if c is None or outlet_credit_cue(tgt, src) else c


def _derive_target(articles, docs, t, srcs, how, derived_from, copies=None) -> list[Derivation]:
    tgt, tdoc = articles[t], docs[t]
    credit = {s: credit_cue(tgt, articles[s]) for s in srcs}
    total = {s: sum(m.covered for m in ms.values() if not m.furniture) for s, ms in srcs.items()}
    pub = {s: (_time(articles[s].published) or 0.0) for s in srcs}

    def rank(s):
        return (total[s], credit[s] is not None, -pub[s])

    given = set(srcs)
    srcs, set_aside = _agency_first(articles, tdoc, t, srcs, credit, copies)
    # agency copies taken as sources on the joint evidence of the rewrites set aside
    joint = set_aside[0] if set_aside and set_aside[2] else set()
    dropped_siblings: dict[int, tuple[int, float]] = {}
    closest = allowed = _closest(srcs, derived_from, {s for s in srcs if credit[s]}, dropped_siblings)
    versions: dict[int, list[int]] = {}
    agency_target = is_agency_copy(tgt)
    # drop sources that explain too little once each sentence has one source
    for _ in range(3):
        best = _assign(srcs, allowed, rank)
        per: dict[int, list[al.UnitMatch]] = defaultdict(list)
        for u, s in best.items():
            per[s].append(srcs[s][u])
        keep = {s for s in allowed if per.get(s) and (_strong(per[s]) or (s in joint and _drawn_on(per[s])))}
        if not agency_target:
            versions = _joint_versions(articles, srcs, derived_from, allowed - keep, per, keep)
            keep |= set(versions)
        if keep == allowed:
            break
        allowed = keep
    if not allowed:
        return []
    if len(allowed) >= PATCH_MIN_SOURCES:
        # a stitched page: one more copied sentence from another article is a source too
        claimed = _assign(srcs, allowed, rank)
        extra = {s for s in closest - allowed
                 if any(m.score >= PATCH_UNIT_SCORE and m.covered >= PATCH_UNIT_TOKENS
                        for u, m in srcs[s].items() if u not in claimed and not m.furniture)}
        allowed = allowed | extra
    best = _assign(srcs, allowed, rank)
    per = defaultdict(list)
    for u, s in best.items():
        per[s].append(srcs[s][u])
    for m in _fill_short(tdoc, docs, best, srcs):
        per[best[m.t_unit]].append(m)

    body = sum(e - s for s, e in tdoc.units) or 1
    # the rewrites set aside are told once, beside the agency copy explaining most
    host = None
    if set_aside and set(per) & set_aside[0]:
        host = max(set(per) & set_aside[0], key=lambda x: (total[x], -x))
    res = []
    for s, ms in per.items():
        sdoc = docs[s]
        passages = al.to_passages(ms, tdoc)
        share = sum(m.t_span[1] - m.t_span[0] for m in ms) / body
        s_units = {su for m in srcs[s].values() for su in m.s_units}
        s_body = sum(e - b for b, e in sdoc.units) or 1
        s_cover = sum(sdoc.units[u][1] - sdoc.units[u][0] for u in s_units) / s_body
        wholly = s_cover >= WHOLLY_SOURCE_COVER and share >= WHOLLY_TARGET_SHARE
        hw = how.get((s, t))
        sibs = [SharedSibling(articles[b].id, sh) for b, (a, sh) in sorted(dropped_siblings.items())
                if a == s and b not in per and sh >= SIBLING_SHARE]
        aside = None
        if s == host:
            # as siblings when they are (derived from this copy, sharing mostly its
            # text), else as set aside when their own pair would make a derivation;
            # an outlet that took text from the target (``copies``) as set aside
            aside = []
            for b in sorted(set_aside[1]):
                x = SharedSibling(articles[b].id, _shared_in(set_aside[1][b], srcs[s]))
                if b in given and (s, b) in derived_from and x.shared_in_source >= SIBLING_SHARE:
                    sibs.append(x)
                elif _strong(list(set_aside[1][b].values())):
                    aside.append(x)
            sibs.sort(key=lambda x: x.article)
            aside = aside or None
        ev = Evidence(hw["by"] if isinstance(hw, dict) else hw, round(s_cover, 3), len(ms),
                      sum(m.nonquote for m in ms),
                      direction_votes=hw["votes"] if isinstance(hw, dict) and hw.get("votes") else None,
                      credit_cue=credit[s] or None,
                      siblings=sibs or None,     # these share text with the target through this source
                      own_copy=own_copy(articles[s], tgt, (sdoc, tdoc),
                                       hw.get("votes") if isinstance(hw, dict) else None),
                      set_aside=aside,
                      joint_with_set_aside=True if s in joint else None,
                      # two outlets running one agency's copy: siblings through it, not a derivation
                      carried=_carried(articles[s], tgt),
                      kept_clauses=_kept_clauses(list(srcs[s].values())),
                      with_versions=[articles[x].id for x in versions[s]] if s in versions else None)
        res.append(Derivation(articles[s].id, tgt.id, "wholly" if wholly else "partially",
                              credit[s] is not None, min(1.0, share), passages, ev))
    return res
