"""Framing of each article against its story: what it added, what it left out of
the origin, which words it chose, and whose actions it reassigned.

``compare_framing(articles, stories, derivations)`` gives one contract entry per
(story, article) for every story with two or more articles:

* ``added``: sentence spans of the article that no other article of the story
  carries: no aligned passage covers them and no other article has a sentence
  sharing most of its content words; sentences that are only a quote found in
  another article with its cue ("…,” he said) are not additions.  Adjacent
  sentences are merged into one span.
* ``omitted``: sentences of the story's origin the article does not carry (no
  passage from the origin into it covers them, no similar sentence in it).
* ``terms``: see ``terms.py``.
* ``actor_changes``: see ``actors.py``; checked on aligned sentence pairs (inside
  passages of a derivation into the article, or sentences of the origin / a
  source sharing much of their content).

Extension keys: ``added_text`` / ``omitted[].text`` (snippets, 300 characters at
most), ``actor_changes[].source_article``, ``terms[].loaded`` / ``learned``.
"""
from __future__ import annotations

from wiretrace import guard
from wiretrace.model import ActorChange, Article, Derivation, FramingEntry, Omission, Story

from . import terms as tm
from .actors import actor_change
from .text import (MIN_CONTENT, SIMILAR, SIMILAR_MIN_SHARED, Doc, Sent, content_set, covered_share,
                   merge_runs, overlap, prepare, similar)

SNIPPET = 300
# A sentence counts as carried by a passage when at least half of it lies inside one.
PASSAGE_COVER = 0.5
# Sentence pairs looked at for actor changes: looser than SIMILAR because the
# subject is exactly what differs; the predicate must then agree (actors.py).
# Set by hand: a wire lead retold with another agent and a dropped clause kept
# 0.39 overlap / 9 shared words; on stories-dev (gold stories) these settings
# flag 6 pairs in 921 articles.
ACTOR_PAIR_MIN = 0.35
ACTOR_PAIR_MIN_SHARED = 5
# Free (non-lexicon) substitutions are learned inside derivation passages, or
# from sentence pairs this close: looser pairs of independent reports are
# paraphrases whose word swaps are not term choices (stories-dev, gold stories:
# at 0.5 learned pairs were mostly paraphrase noise such as "new" -> "select").
LEARN_PAIR_MIN = 0.75
# Quotes in two articles are one quote when this share of the shorter one's words is shared.
QUOTE_SHARED = 0.6
# A sentence left with fewer prose content words than this once its shared quotes
# are removed is a shared quote with its cue, not an addition.
PROSE_AFTER_QUOTE = 5


def _snip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


def _origin(story: Story, members: list[str], derivations: list[Derivation]) -> str:
    if story.origin in members:
        return story.origin
    inside = set(members)
    targets = {d.target for d in derivations if d.source in inside and d.target in inside}
    sources: dict[str, int] = {}
    for d in derivations:
        if d.source in inside and d.target in inside:
            sources[d.source] = sources.get(d.source, 0) + 1
    roots = [m for m in members if m not in targets]
    if roots:
        return max(roots, key=lambda m: (sources.get(m, 0), -members.index(m)))
    return members[0]


def _shared_quote_spans(doc: Doc, others: list[Doc]) -> list[tuple[int, int]]:
    out = []
    other_q = [q for o in others for q in o.quote_words()]
    for (a, b), q in zip(doc.quotes, doc.quote_words()):
        if len(q) < 2:
            continue
        for oq in other_q:
            r, k = overlap(q, oq)
            if r >= QUOTE_SHARED and k >= 2:
                out.append((a, b))
                break
    return out


class _SentIndex:
    """Inverted index word -> distinct sentence word sets of a story's articles, to
    find similar sentences without comparing every pair (copies repeat sentences,
    so each distinct word set is indexed once, with the articles holding it)."""

    def __init__(self, docs: list[Doc]):
        self.holders: dict[frozenset, set[str]] = {}
        for d in docs:
            for y in d.sents:
                self.holders.setdefault(frozenset(y.words), set()).add(d.id)
        self.post: dict[str, list[frozenset]] = {}
        for ws in self.holders:
            for w in ws:
                self.post.setdefault(w, []).append(ws)

    def has_similar(self, x: Sent, among: set[str]) -> bool:
        hits: dict[frozenset, int] = {}
        for w in x.words:
            for ws in self.post.get(w, ()):
                hits[ws] = hits.get(ws, 0) + 1
        for ws, k in hits.items():
            if k >= SIMILAR_MIN_SHARED and k / min(len(x.words), len(ws)) >= SIMILAR \
                    and not self.holders[ws].isdisjoint(among):
                return True
        return False


def _carried(x: Sent, doc: Doc, passages: list[tuple[int, int]], others: list[Doc],
             shared_quotes: list[tuple[int, int]], index: _SentIndex | None = None) -> bool:
    """Is sentence x of doc carried by another article (passage, similar sentence, shared quote)?"""
    if covered_share(x.start, x.end, passages) >= PASSAGE_COVER:
        return True
    if index is not None:
        if index.has_similar(x, {o.id for o in others}):
            return True
    else:
        for o in others:
            for y in o.sents:
                if similar(x, y):
                    return True
    if shared_quotes and any(a < x.end and x.start < b for a, b in shared_quotes):
        rest = content_set(doc.text, x.start, x.end, skip=shared_quotes)
        if len(rest) < PROSE_AFTER_QUOTE:
            return True
    return False


def _aligned_pairs(src: Doc, tgt: Doc, der: Derivation | None, min_r: float, min_k: int
                   ) -> list[tuple[Sent, Sent]]:
    """Sentence pairs (source, target): inside passages, and highly similar pairs."""
    pairs: dict[int, tuple[Sent, float]] = {}
    if der is not None:
        for p in der.passages:
            ys = [y for y in tgt.sents
                  if covered_share(y.start, y.end, [(p.target_start, p.target_end)]) >= PASSAGE_COVER]
            xs = [x for x in src.sents
                  if x.end > p.source_start and x.start < p.source_end]
            for y in ys:
                best, score = None, 0.0
                for x in xs:
                    r, k = overlap(x.words, y.words)
                    if k >= 2 and r > score:
                        best, score = x, r
                if best is not None:
                    pairs[y.i] = (best, score + 1.0)     # passage pairs win over similarity pairs
    for y in tgt.sents:
        if y.i in pairs:
            continue
        best, score = None, 0.0
        for x in src.sents:
            r, k = overlap(x.words, y.words)
            if k >= min_k and r >= min_r and r > score:
                best, score = x, r
        if best is not None:
            pairs[y.i] = (best, score)
    return [(x, tgt.sents[i]) for i, (x, _) in sorted(pairs.items())]


def _aligned_in_story(members: list[str], origin: str, ders: list[Derivation], doc
                      ) -> tuple[dict[str, list[tuple[str, Sent, Sent]]], list[tm.Substitution]]:
    """Each article's aligned sentence pairs (source article, source sentence, its
    sentence) against the origin and its own sources, and the word substitutions
    learned from the close ones (in passages, or similar enough)."""
    der_into: dict[str, list[Derivation]] = {}
    for d in ders:
        der_into.setdefault(d.target, []).append(d)
    learned: list[tm.Substitution] = []
    pair_sets: dict[str, list[tuple[str, Sent, Sent]]] = {m: [] for m in members}
    for m in members:
        refs: dict[str, Derivation | None] = {}
        for d in der_into.get(m, []):
            refs[d.source] = d
        if m != origin and origin not in refs:
            refs[origin] = None
        for sid, d in refs.items():
            src, tgt = doc(sid), doc(m)
            for x, y in _aligned_pairs(src, tgt, d, ACTOR_PAIR_MIN, ACTOR_PAIR_MIN_SHARED):
                pair_sets[m].append((sid, x, y))
                r, k = overlap(x.words, y.words)
                in_passage = d is not None and covered_share(
                    y.start, y.end, [(p.target_start, p.target_end) for p in d.passages]) >= PASSAGE_COVER
                if in_passage or (r >= SIMILAR and k >= SIMILAR_MIN_SHARED):
                    learned.extend(tm.substitutions(src, x.start, x.end, tgt, y.start, y.end,
                                                    learn=in_passage or r >= LEARN_PAIR_MIN))
    return pair_sets, learned


def _actor_changes(members: list[str], origin: str, pair_sets, doc, lex, from_origin: dict[str, list]
                   ) -> tuple[dict[str, list[ActorChange]], dict[str, list[tuple[int, int]]]]:
    """Each article's actor changes, and the sentences they rewrote (per article);
    a change against the origin counts as carried from it (``from_origin``, in place)."""
    changes_of: dict[str, list[ActorChange]] = {m: [] for m in members}
    rewritten: dict[str, list[tuple[int, int]]] = {m: [] for m in members}
    for m in members:
        seen = set()
        for sid, x, y in pair_sets[m]:
            ch = actor_change(doc(sid), x, doc(m), y, lex)
            if ch and (ch.target_start, ch.source_actor) not in seen:
                seen.add((ch.target_start, ch.source_actor))
                ch.source_article = sid
                changes_of[m].append(ch)
                rewritten[m].append((y.start, y.end))
                rewritten[sid].append((x.start, x.end))
                if sid == origin:
                    from_origin[m].append((x.start, x.end))
    return changes_of, rewritten


def _omitted(od: Doc, d0: Doc, own_passages: list[tuple[int, int]]) -> list[Omission]:
    """The runs of the origin's sentences that article ``d0`` does not carry."""
    oshared = _shared_quote_spans(od, [d0])
    oflags = [len(x.words) >= MIN_CONTENT and not _carried(x, od, own_passages, [d0], oshared) for x in od.sents]
    return [Omission(od.id, s, e, _snip(od.text[s:e])) for s, e in merge_runs(oflags, od.sents)]


def compare_framing(articles: list[Article], stories: list[Story],
                    derivations: list[Derivation]) -> list[FramingEntry]:
    by_id = {a.id: a for a in articles}
    docs_cache: dict[str, Doc] = {}

    def doc(aid: str) -> Doc:
        if aid not in docs_cache:
            docs_cache[aid] = prepare(by_id[aid])
        return docs_cache[aid]

    # each story's derivations (both ends inside it), in the given order: one pass, not one per story
    stories_of: dict[str, list[int]] = {}
    for k, story in enumerate(stories):
        for m in dict.fromkeys(story.articles):
            if m in by_id:
                stories_of.setdefault(m, []).append(k)
    ders_of: dict[int, list[Derivation]] = {}
    for d in derivations:
        if d.source != d.target:
            for k in sorted(set(stories_of.get(d.source, ())) & set(stories_of.get(d.target, ()))):
                ders_of.setdefault(k, []).append(d)

    def frame(k: int, story: Story) -> list[FramingEntry]:
        out: list[FramingEntry] = []
        members = [m for m in dict.fromkeys(story.articles) if m in by_id]
        if len(members) < 2:
            return out
        docs_cache.clear()       # an article's Doc is needed within its story only
        ders = ders_of.get(k, [])
        origin = _origin(story, members, ders)
        docs = [doc(m) for m in members]
        # passage spans per article: what of it other story articles carry / it carries
        carried_spans: dict[str, list[tuple[int, int]]] = {m: [] for m in members}
        for d in ders:
            for p in d.passages:
                carried_spans[d.target].append((p.target_start, p.target_end))
                carried_spans[d.source].append((p.source_start, p.source_end))
        from_origin: dict[str, list[tuple[int, int]]] = {m: [] for m in members}
        for d in ders:
            if d.source == origin:
                from_origin[d.target].extend((p.source_start, p.source_end) for p in d.passages)
        pair_sets, learned = _aligned_in_story(members, origin, ders, doc)
        story_terms = tm.story_terms(docs, tm.story_concepts(learned))
        # actor changes first: a sentence retold with another agent is carried, not added/omitted
        changes_of, rewritten = _actor_changes(members, origin, pair_sets, doc, tm.load_lexicon(), from_origin)

        index = _SentIndex(docs)
        for d0 in docs:
            others = [o for o in docs if o.id != d0.id]
            shared_q = _shared_quote_spans(d0, others)
            flags = [len(x.words) >= MIN_CONTENT
                     and not _carried(x, d0, carried_spans[d0.id] + rewritten[d0.id], others, shared_q, index)
                     for x in d0.sents]
            added = merge_runs(flags, d0.sents)
            omitted = [] if d0.id == origin else _omitted(doc(origin), d0, from_origin[d0.id])
            out.append(FramingEntry(story.id, d0.id, [[s, e] for s, e in added], omitted,
                                    story_terms.get(d0.id, []), changes_of[d0.id],
                                    [_snip(d0.text[s:e]) for s, e in added], origin))
        return out

    out: list[FramingEntry] = []
    for k, story in enumerate(stories):
        first = by_id.get(story.articles[0]) if story.articles else None
        out.extend(guard.attempt("framing", frame, k, story, origin=first.origin if first else None,
                                 article=first.id if first else None, what=f"story {story.id}",
                                 default=[]))
    return out
