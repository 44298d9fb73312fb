"""The order of stages, in one readable function: ``analyze``.

read -> store -> clean + metadata + segment + quotes (per document, cached)
     -> derivations -> quote groups -> stories -> framing -> signals (whole corpus, cached)
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import xxhash

from . import __version__
from .model import (Analysis, Article, Problem, RawDoc, derivation_from_dict, quote_from_dict,
                    story_from_dict)
from .parallel import chunks, n_workers, run
from .language import detect_language, language_of, language_problems, limit_corpus, quotes_for_language
from .read import DEFAULT_MAX_BYTES
from .read.records import read_inputs
from .store import Store

#: Bump when a per-document stage changes its output, so cached results are redone.
ARTICLE_STAGE = f"article-{__version__}-1"
#: Bump when a corpus stage changes its output.
CORPUS_STAGE = f"corpus-{__version__}-1"
#: Documents per transaction: a killed run loses at most this much work.
BATCH = 50

Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    sentences: str = "pysbd"            # pysbd (accurate) | syntok (fast)
    embeddings: bool = False            # sentence embeddings for story grouping
    incremental: bool = False           # join new articles to the last run's stories instead of regrouping
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int | None = None          # processes for the local engine's stages (None: every CPU)
    fields: dict[str, str] | None = None    # field -> column overrides for record inputs (read/fields.py)


@dataclass
class RunInfo:
    read: int = 0                       # documents read in this run (before de-duplication)
    new: int = 0                        # documents not in the store before
    duplicates: int = 0                 # same content as another document
    processed: int = 0                  # documents whose per-document stages ran (not cached)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)


def content_hash(doc: RawDoc) -> str:
    body = doc.text if doc.text is not None else (doc.html or "")
    norm = re.sub(r"\s+", " ", body).strip()
    return xxhash.xxh3_128_hexdigest(f"{'t' if doc.text is not None else 'h'}\x00{norm}".encode("utf-8"))


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def analyze(inputs: Iterable[str | Path], *, db: str | Path | None = None, store: Store | None = None,
            all_documents: bool = False, options: Options | None = None,
            progress: Progress | None = None, info: RunInfo | None = None) -> Analysis:
    """Read ``inputs`` into the store and analyse them (or, with ``all_documents``,
    everything the store holds). The analysis is saved in the store as 'latest'."""
    opts = options or Options()
    info = info if info is not None else RunInfo()
    own_store = store is None
    store = store or Store(db or "wiretrace.db")
    t0 = time.perf_counter()
    try:
        run_ids = _read_into_store(inputs, store, opts, info)
        if all_documents:
            for h in store.all_hashes():
                run_ids.setdefault(h, store.ids_of(h))
        articles = _article_stage(store, run_ids, opts, info, progress)
        analysis = _corpus_stage(store, articles, opts, progress)
        analysis.problems = list(info.problems) + language_problems(analysis.articles)
        store.save_analysis(_key(CORPUS_STAGE, [a.content_hash for a in articles]), analysis.to_dict())
    finally:
        info.seconds = time.perf_counter() - t0
        if own_store:
            store.close()
    return analysis


# -- read -----------------------------------------------------------------------

def variant_id(aid: str, k: int) -> str:
    """The id of the k-th distinct content read under ``aid`` (k = 0 keeps it)."""
    return aid if k == 0 else f"{aid}~{k + 1}"


def _read_into_store(inputs, store: Store, opts: Options, info: RunInfo) -> dict[str, list[str]]:
    """Store every readable document; returns content hash -> the ids it was read under
    (in reading order; the first is the article's id, the others its aliases)."""
    run_ids: dict[str, list[str]] = {}
    id_variants: dict[str, list[str]] = {}    # id -> the distinct contents read under it, in order
    batch: list[tuple[str, RawDoc]] = []

    def flush():
        for h, is_new in store.add_documents(batch):
            info.new += is_new
        batch.clear()

    for item in read_inputs(inputs, max_bytes=opts.max_bytes, fields=opts.fields):
        if isinstance(item, Problem):
            info.problems.append(item)
            continue
        info.read += 1
        h = content_hash(item)
        variants = id_variants.setdefault(item.id, [])
        if h not in variants:
            variants.append(h)
        new_id = variant_id(item.id, variants.index(h))
        if new_id != item.id:                       # same id, other content: keep both, say so
            info.problems.append(Problem(item.origin, None, f"id {item.id!r} already used by another "
                                         f"article in this run; this one is {new_id}"))
            item.id = new_id
        batch.append((h, item))
        if h in run_ids:
            info.duplicates += 1
            if item.id not in run_ids[h]:
                run_ids[h].append(item.id)
        else:
            run_ids[h] = [item.id]
        if len(batch) >= BATCH:
            flush()
    flush()
    return run_ids


# -- per document ---------------------------------------------------------------

def _article_stage(store: Store, run_ids: dict[str, list[str]], opts: Options, info: RunInfo,
                   progress: Progress | None) -> list[Article]:
    from .clean.leftovers import line_key

    hashes = list(run_ids)
    docs = {h: store.document(h) for h in hashes}
    # Lines seen in 2+ documents of this corpus: evidence of page furniture
    # (the cleaner weighs it with the line's shape; copied body lines repeat too).
    line_docs: Counter[str] = Counter()
    doc_lines: dict[str, set[str]] = {}
    for h, d in docs.items():
        if d.text is not None:
            keys = {k for k in (line_key(ln) for ln in d.text.splitlines()) if k}
            doc_lines[h] = keys
            line_docs.update(keys)
    repeated_all = {k for k, c in line_docs.items() if c >= 2}

    keys: dict[str, str] = {}
    repeated_of: dict[str, frozenset[str]] = {}
    for h in hashes:
        rep = frozenset(doc_lines.get(h, set()) & repeated_all)
        repeated_of[h] = rep
        keys[h] = _key(ARTICLE_STAGE, h, sorted(rep), opts.sentences)
    cached = store.get_results("article", list(keys.values()))
    todo = [h for h in hashes if keys[h] not in cached]
    done = len(hashes) - len(todo)
    if progress:
        progress("articles", done, len(hashes))
    # in forked workers on larger runs; results come back in order and are stored
    # by the parent, one transaction per batch (what a killed run leaves is whole)
    workers = n_workers(opts.workers) if len(todo) >= PARALLEL_MIN_DOCS else 1
    _JOB.update(docs=docs, repeated=repeated_of, opts=opts)
    try:
        results: list[tuple[str, dict]] = []
        for h, r in zip(todo, run(_process_one, todo, workers, chunksize=4)):
            results.append((keys[h], r))
            if len(results) == BATCH or len(results) + done == len(hashes):
                store.put_results("article", results)          # one transaction per batch
                cached.update(results)
                info.processed += len(results)
                done += len(results)
                results = []
                if progress:
                    progress("articles", done, len(hashes))
    finally:
        _JOB.clear()

    articles = []
    for h in hashes:
        d, r = docs[h], cached[keys[h]]
        ids = run_ids[h] or [d.id]
        articles.append(Article(
            id=ids[0], text=r["text"], outlet=r["outlet"], title=r["title"], published=r["published"],
            url=d.url, authors=r["authors"], dateline=r["dateline"], credits=r["credits"],
            cited_sources=r["cited_sources"], removed=r["removed"],
            sentences=[tuple(s) for s in r["sentences"]],
            quotes=[quote_from_dict(q) for q in r["quotes"]],
            aliases=ids[1:], content_hash=h, origin=d.origin, fields=d.fields, language=language_of(r)))
    return articles


# Below this many new documents they are processed in this process (a document
# takes ~10-40 ms; starting workers ~0.1 s).
PARALLEL_MIN_DOCS = 200
_JOB: dict = {}          # what the forked workers of one run read


def _framing(articles, stories, derivations, workers: int) -> list[dict]:
    """``compare_framing`` over runs of stories (each story on its own: the Spark
    engine does the same), in forked workers when ``workers`` > 1."""
    from .framing.compare import compare_framing
    if workers <= 1:
        return compare_framing(articles, stories, derivations)
    _JOB.update(articles=articles, stories=stories, derivations=derivations)
    try:
        out: list[dict] = []
        for part in run(_framing_chunk, chunks([len(s.articles) for s in stories], workers), workers):
            out.extend(part)
        return out
    finally:
        _JOB.clear()


def _framing_chunk(bounds: tuple[int, int]) -> list[dict]:
    from .framing.compare import compare_framing
    return compare_framing(_JOB["articles"], _JOB["stories"][bounds[0]:bounds[1]], _JOB["derivations"])


def _process_one(h: str) -> dict:
    return process_document(_JOB["docs"][h], _JOB["repeated"][h], _JOB["opts"])


def process_document(doc: RawDoc, repeated: frozenset[str], opts: Options) -> dict:
    """Clean one document, read its metadata, split its sentences, find its quotes."""
    from .clean.html import extract_html, visible_text
    from .clean.leftovers import clean_text
    from .clean.metadata import extract_metadata
    from .segment.quotes import extract_quotes
    from .segment.sentences import split_sentences

    html_meta = None
    if doc.text is not None:
        raw = doc.text
        res = clean_text(raw, repeated, title=doc.title)
        body, removed, title, meta_lines = res.text, res.removed, res.title, res.meta_lines
    else:
        body, html_meta = extract_html(doc.html or "", doc.url)
        raw = body
        removed, title, meta_lines = [], None, []
        if not body.strip():                    # no article found: clean the page as scraped text
            raw = visible_text(doc.html or "")
            res = clean_text(raw, repeated, title=doc.title)
            body, removed, title, meta_lines = res.text, res.removed, res.title, res.meta_lines
    given = {"url": doc.url, "outlet": doc.outlet, "published": doc.published,
             "title": doc.title, "authors": doc.authors}
    meta = extract_metadata(raw, body, given=given, meta_lines=meta_lines, html_meta=html_meta)
    sentences = split_sentences(body, opts.sentences)
    language = detect_language(body)
    quotes = quotes_for_language(extract_quotes(body, sentences), language)
    return {
        "text": body, "removed": removed,
        "title": doc.title or meta.get("title") or title,
        "published": meta.get("published"), "authors": meta.get("authors") or [],
        "dateline": meta.get("dateline"), "credits": meta.get("credits") or [],
        "cited_sources": meta.get("cited_sources") or [], "outlet": meta.get("outlet"),
        "sentences": [list(s) for s in sentences], "quotes": [q.to_dict() for q in quotes],
        "language": language,
    }


# -- whole corpus ---------------------------------------------------------------

def _corpus_stage(store: Store, articles: list[Article], opts: Options,
                  progress: Progress | None) -> Analysis:
    prior = store.get_results("story-state", ["latest"]).get("latest") if opts.incremental else None
    key = _key(CORPUS_STAGE, [a.content_hash for a in articles], [a.id for a in articles], opts.embeddings,
               _key(prior["ids"], prior["members"]) if prior else None)
    hit = store.get_results("corpus", [key]).get(key)
    if hit is None:
        hit, state = compute_corpus(articles, opts, progress, prior_state=prior)
        # the result and the grouping state it leaves behind, in one transaction
        store.put_many([("corpus", key, hit), ("story-state", "latest", state)])
    by_id = {a.id: a for a in articles}
    for aid, (story, storyline, signals) in hit["per_article"].items():
        a = by_id[aid]
        a.story, a.storyline, a.signals = story, storyline, signals
    return Analysis(articles=articles,
                    stories=[story_from_dict(s) for s in hit["stories"]],
                    derivations=[derivation_from_dict(d) for d in hit["derivations"]],
                    quote_groups=hit["quote_groups"], framing=hit["framing"],
                    storylines=hit["storylines"])


def compute_corpus(articles: list[Article], opts: Options, progress: Progress | None = None,
                   prior_state: dict | None = None) -> tuple[dict, dict]:
    """The whole-corpus stages, in order; returns their results in stored form and
    the story-grouping state (for a later ``--incremental`` run).  With
    ``prior_state``, articles it has not seen join its stories (no regrouping)."""
    from .framing.quote_groups import group_quotes
    from .framing.signals import compute_signals
    from .stories import group_stories, update_stories
    from .stories.group import state_from_dict, state_to_dict
    from .trace.derive import find_derivations

    def step(name):
        if progress:
            progress(name, 0, 1)

    step("derivations")
    derivations = find_derivations(articles, workers=opts.workers)
    step("quotes")
    quote_groups = group_quotes(articles)
    step("stories")
    grouped = None
    if prior_state is not None:
        state = state_from_dict(prior_state)
        grouped = update_stories(state, articles, derivations)
    if grouped is None:                 # first run, or articles of the last run are gone: regroup
        stories, storylines, state = group_stories(articles, derivations, embeddings=opts.embeddings,
                                                   return_state=True)
    else:
        stories, storylines = grouped
    step("framing")
    workers = n_workers(opts.workers) if len(articles) >= PARALLEL_MIN_DOCS else 1
    framing = _framing(articles, stories, derivations, workers)
    signals = compute_signals(articles, derivations, stories, workers=workers)
    for a in articles:
        a.signals = signals.get(a.id, a.signals)
    framing = limit_corpus(articles, framing)          # English-only results of other languages dropped
    return {
        "derivations": [d.to_dict() for d in derivations],
        "quote_groups": quote_groups,
        "stories": [s.to_dict() for s in stories],
        "storylines": storylines,
        "framing": framing,
        "per_article": {a.id: (a.story, a.storyline, a.signals) for a in articles},
    }, (state_to_dict(state) if state is not None else None)
