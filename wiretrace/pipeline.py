"""The local engine: ``analyze`` reads the inputs into the store, runs the
per-document stage over them (in worker processes on larger runs), then walks the
whole-corpus stages of ``stages.CORPUS`` in order, every result cached in the store.
The stages themselves, their order and what each needs: ``wiretrace/stages.py``.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import xxhash

from . import __version__, guard, stages
from .model import Analysis, Article, CitedSource, Credit, Dateline, FramingEntry, OutletSource, Problem, Quote, RawDoc
from .model.record import from_optional
from .parallel import chunks, n_workers, run
from .language import detect_language, language_of, language_problems, limit_corpus, quotes_for_language
from .read import DEFAULT_MAX_BYTES
from .read.records import read_inputs
from .store import Store
from .store.sqlite import raw_doc

#: The per-document results' key prefix (bump ``stages.DOCUMENT.version`` when they change).
ARTICLE_STAGE = f"article-{__version__}-{stages.DOCUMENT.version}"
#: Documents per transaction: a killed run loses at most this much work.
BATCH = 50

Progress = Callable[[str, int, int], None]


@dataclass
class Options:
    sentences: str = "nupunkt"          # nupunkt (default: fast, best on news) | pysbd | syntok
    embeddings: bool = False            # sentence embeddings for story grouping
    incremental: bool = False           # join new articles to the last run's stories instead of regrouping
    max_bytes: int = DEFAULT_MAX_BYTES
    workers: int | None = None          # processes for the local engine's stages (None: every CPU)
    strict: bool = False                # stop at the first failure of a stage (debugging)
    debug: bool = False                 # keep each failure's traceback in its problem entry
    fields: dict[str, str] | None = None    # field -> column overrides for record inputs (read/fields.py)


@dataclass
class RunInfo:
    read: int = 0                       # documents read in this run (before de-duplication)
    new: int = 0                        # documents not in the store before
    duplicates: int = 0                 # same content as another document
    processed: int = 0                  # documents whose per-document stages ran (not cached)
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    store_path: str | None = None       # the store, and its size on disk with its journal after the run
    store_bytes: int = 0


def content_hash(doc: RawDoc) -> str:
    body = doc.text if doc.text is not None else (doc.html or "")
    norm = re.sub(r"\s+", " ", body).strip()
    return xxhash.xxh3_128_hexdigest(f"{'t' if doc.text is not None else 'h'}\x00{norm}".encode("utf-8"))


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def analyze(inputs: Iterable[str | Path], *, db: str | Path | None = None, store: Store | None = None,
            all_documents: bool = False, options: Options | None = None,
            progress: Progress | None = None, info: RunInfo | None = None,
            output: str | Path | None = None) -> Analysis:
    """Read ``inputs`` into the store and analyse them (or, with ``all_documents``,
    everything the store holds). The analysis is saved in the store as 'latest';
    with ``output`` (a path, or "-" for standard output) analysis.json is written
    from the same text as the store's copy (one encoding of the document, not two)."""
    opts = options or Options()
    info = info if info is not None else RunInfo()
    guard.configure(strict=opts.strict, debug=opts.debug)
    guard.drain()
    own_store = store is None
    store = store or Store(db or "wiretrace.db")
    t0 = time.perf_counter()
    try:
        run_ids = _read_into_store(inputs, store, opts, info)
        if all_documents:
            for h in store.all_hashes():
                run_ids.setdefault(h, store.ids_of(h))
        articles, article_keys = _article_stage(store, run_ids, opts, info, progress)
        analysis = _corpus_stage(store, articles, article_keys, opts, progress, info.problems)
        # the relations derived from the derivations, once (to_dict would redo them per call)
        from .trace import relations
        analysis.siblings = relations.siblings(analysis.derivations, analysis.own_reuse)
        analysis.wire_lineages = relations.wire_lineages(analysis.articles, analysis.derivations)
        analysis.problems = list(info.problems) + language_problems(analysis.articles)
        key = _key("analysis", __version__, [a.content_hash for a in articles])
        if output is None:
            store.save_analysis(key, analysis.to_doc())      # written element by element
        else:
            from .render.jsonfile import output_stream
            with output_stream(output) as f:
                store.save_analysis(key, analysis.to_doc(), copy_to=f)
    finally:
        info.seconds = time.perf_counter() - t0
        if own_store:
            store.close()
        info.store_path, info.store_bytes = str(store.path), store.size_on_disk()
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
    firsts: list[int] = []                    # positions in batch of each content's first reading in this run

    def flush():
        for h, is_new in store.add_documents(batch, latest=firsts):
            info.new += is_new
        batch.clear()
        firsts.clear()

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
            path, line = guard.split_origin(item.origin)
            info.problems.append(Problem(path, line, f"id {item.id!r} already used by another "
                                         f"article in this run; this one is {new_id}", article=new_id))
            item.id = new_id
        if h not in run_ids:
            firsts.append(len(batch))
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
                   progress: Progress | None) -> tuple[list[Article], list[str]]:
    """The per-document results of every document of the run: from the store, or
    computed (in forked workers on larger runs) and stored one transaction per batch.

    Documents are read from the store as they are needed and never all held at once
    (a crawl's HTML is many times its text); each result becomes its ``Article`` as it
    arrives.  What stays per document until the end is its article, its cache key and
    the few lines it shares with other documents.  Returns the articles and their
    result keys (what the corpus stage's key is made of)."""
    hashes = list(run_ids)
    kept: dict[str, tuple] = {}                  # hash -> (url, origin, fields, id, given key) for its Article
    repeated_all, with_repeated = _repeated_lines(store, hashes, kept)
    repeated_of: dict[str, frozenset[str]] = {}
    # only the documents that have a repeated line are read again, for those lines' text
    for h, d in store.documents(with_repeated):
        repeated_of[h] = frozenset(_lines_in(d, repeated_all))
    # the key holds what the reader was given besides the content too (the processing
    # reads the title, outlet, date, authors and url): a corrected record is redone
    keys = {h: _key(ARTICLE_STAGE, h, sorted(repeated_of.get(h, ())), opts.sentences, kept[h][4]) for h in hashes}

    built: dict[str, Article] = {}
    doc_problems: dict[str, list[Problem]] = {}

    def build(h: str, r: dict) -> None:
        url, origin, fields, first_id, _ = kept[h]
        ids = run_ids[h] or [first_id]
        doc_problems[h] = [Problem.from_dict({**p, "article": ids[0]}) for p in r.get("problems", ())]
        built[h] = _article_of(r, ids, h, url, origin, fields)

    for i in range(0, len(hashes), 500):
        part = hashes[i:i + 500]
        found = store.get_results("article", [keys[h] for h in part])
        for h in part:
            if keys[h] in found:
                build(h, found[keys[h]])
    todo = [h for h in hashes if h not in built]
    done = len(hashes) - len(todo)
    if progress:
        progress("articles", done, len(hashes))
    # in forked workers on larger runs; results come back in order and are stored
    # by the parent, one transaction per batch (what a killed run leaves is whole)
    workers = n_workers(opts.workers) if len(todo) >= PARALLEL_MIN_DOCS else 1
    # a worker returns its result as the JSON text the store keeps: the parent, which
    # every result passes through, only parses it (no second encoding)
    results: list[tuple[str, str]] = []
    tasks = store.raw_documents(todo)          # parsed by the worker
    for h, text in zip(todo, run(_process_one, tasks, workers, chunksize=4, describe=_describe_doc,
                                 shared=(repeated_of, opts))):
        results.append((keys[h], text))
        build(h, json.loads(text))
        if len(results) == BATCH or len(results) + done == len(hashes):
            store.put_json_results("article", results)     # one transaction per batch
            info.processed += len(results)
            done += len(results)
            results = []
            if progress:
                progress("articles", done, len(hashes))
    info.problems.extend(guard.drain())          # workers that died (their documents were redone here)
    for h in hashes:                             # also when the result came from the store
        info.problems.extend(doc_problems[h])
    return [built[h] for h in hashes], [keys[h] for h in hashes]


def _article_of(r: dict, ids: list[str], h: str, url, origin, fields) -> Article:
    return article_of_result(r, id=ids[0], url=url, aliases=ids[1:], content_hash=h, origin=origin, fields=fields)


def article_of_result(r: dict, **given) -> Article:
    """The ``Article`` of a per-document result (``process_document``'s stored form)
    and what the caller knows of it (id, url, aliases, hash, origin, fields)."""
    return Article(
        text=r["text"], outlet=r["outlet"], title=r["title"], published=r["published"],
        authors=r["authors"], dateline=from_optional(Dateline, r["dateline"]),
        credits=[Credit.from_dict(c) for c in r["credits"]],
        cited_sources=[CitedSource.from_dict(c) for c in r["cited_sources"]], removed=r["removed"],
        sentences=[tuple(s) for s in r["sentences"]],
        quotes=[Quote.from_dict(q) for q in r["quotes"]],
        outlet_source=from_optional(OutletSource, r.get("outlet_source")), language=language_of(r), **given)


def _line_hashes(d: RawDoc) -> dict[str, int]:
    """The line keys of a scraped-text document and a 64-bit hash of each."""
    from .clean.leftovers import line_key
    if d.text is None:
        return {}
    out = {}
    for ln in d.text.splitlines():
        k = line_key(ln)
        if k and k not in out:
            out[k] = xxhash.xxh3_64_intdigest(k.encode("utf-8", "surrogatepass"))
    return out


def _repeated_lines(store: Store, hashes: list[str], kept: dict[str, tuple]) -> tuple[set[int], list[str]]:
    """Hashes of the line keys found in 2+ documents of the run (evidence of page
    furniture: the cleaner weighs it with the line's shape; copied body lines repeat
    too), and the documents that have one, in order.  Counted over 64-bit hashes in
    one array, not a dict of every line's text (a 100,000-article crawl has millions
    of distinct lines).  Fills ``kept`` (hash -> url, origin, fields, id, given key) on the way:
    one reading of every document."""
    import numpy as np
    parts = []
    for h, d in store.documents(hashes):
        parts.append(np.fromiter(_line_hashes(d).values(), dtype=np.uint64))
        kept[h] = (d.url, d.origin, d.fields, d.id, _given_key(d))
    if not parts:
        return set(), []
    allh = np.concatenate(parts)
    if not len(allh):
        return set(), []
    uniq, counts = np.unique(allh, return_counts=True)
    rep = uniq[counts >= 2]
    if not len(rep):
        return set(), []
    # the documents with a repeated line: one membership test over every line at once
    doc_of_line = np.repeat(np.arange(len(parts)), [len(p) for p in parts])
    has = np.bincount(doc_of_line[np.isin(allh, rep)], minlength=len(parts)) > 0
    return {int(x) for x in rep}, [h for h, yes in zip(hashes, has.tolist()) if yes]


def _given_key(d: RawDoc) -> str:
    """A digest of what a document's reader was given besides its content."""
    return _key(d.url, d.outlet, d.published, d.title, d.authors, d.fields, d.kind)


def _lines_in(d: RawDoc, repeated: set[int]) -> list[str]:
    return [k for k, x in _line_hashes(d).items() if x in repeated] if repeated else []


# Below this many new documents they are processed in this process (a document
# takes ~10-40 ms; starting workers ~0.1 s).
PARALLEL_MIN_DOCS = 200
FRAMING_CHUNK = 2000


def framing_in_workers(articles, stories, derivations, workers: int) -> list[FramingEntry]:
    """``compare_framing`` over runs of stories (each story on its own: the Spark
    engine does the same), in forked workers when ``workers`` > 1."""
    from .framing.compare import compare_framing
    if workers <= 1:
        return compare_framing(articles, stories, derivations)
    out: list[FramingEntry] = []
    # at most FRAMING_CHUNK articles' stories per task (a task's results travel back at once)
    # one index for every task: a task reads its own stories' articles only (a task that
    # indexed the whole corpus touched every article: 1,000,000 articles per task of 2,000)
    by_id = {a.id: a for a in articles}
    for part in run(_framing_chunk, chunks([len(s.articles) for s in stories], workers, cap=FRAMING_CHUNK), workers,
                    fresh=True, shared=(by_id, stories, derivations)):
        out.extend(part)
    return out


def _framing_chunk(shared: tuple, bounds: tuple[int, int]) -> list[FramingEntry]:
    from .framing.compare import compare_framing
    by_id, stories, derivations = shared
    part = stories[bounds[0]:bounds[1]]
    members = [by_id[m] for m in dict.fromkeys(m for s in part for m in s.articles) if m in by_id]
    inside = {a.id for a in members}
    return compare_framing(members, part, [d for d in derivations if d.source in inside and d.target in inside])


def _process_one(shared: tuple, task: tuple[str, str]) -> str:
    repeated, opts = shared
    h, raw = task
    return json.dumps(process_document(raw_doc(raw), repeated.get(h, frozenset()), opts), ensure_ascii=False,
                      sort_keys=True)


def _describe_doc(task: tuple[str, str]) -> tuple[str, str]:
    doc = raw_doc(task[1])
    return doc.origin, doc.id


#: CPU seconds one per-document step (cleaning, metadata, sentences, quotes) may take
#: before it is stopped and reported (the document goes on with what it has).  On
#: extract-dev's 160 real HTML pages trafilatura took at most 0.49 s of CPU (median
#: 0.023 s); a page of 2,000 sibling <div>s took ~4 s and 20,000 took 140 s (its
#: pruning is quadratic), so 10 s is 20x the worst real page.
DOC_STEP_SECONDS = 10.0


def process_document(doc: RawDoc, repeated: frozenset[str], opts: Options) -> dict:
    """Clean one document, read its metadata, split its sentences, find its quotes.

    Each step runs under a guard: a step that fails leaves a problem entry (in the
    result's ``problems``, stored with it) and the document goes on with what the
    steps before gave (the raw text when cleaning fails, no sentences or quotes
    when those fail)."""
    from .clean.html import extract_html, visible_text
    from .clean.leftovers import clean_text
    from .clean.metadata import extract_metadata
    from .segment.quotes import extract_quotes
    from .segment.sentences import split_sentences

    found: list[Problem] = []

    def guarded(stage, fn, *args, default=None, **kw):
        if any(p.error == "StageTimeout" for p in found):    # a pathological input: one problem, not four
            return default
        return guard.attempt(stage, fn, *args, origin=doc.origin, article=doc.id, default=default,
                             into=found, budget=DOC_STEP_SECONDS, **kw)

    def clean_scraped(raw):
        res = guarded("clean", clean_text, raw, repeated, title=doc.title)
        if res is None:                        # keep the text as read, say so
            return raw, [], None, []
        return res.text, res.removed, res.title, res.meta_lines

    html_meta = None
    if doc.text is not None:
        raw = doc.text
        body, removed, title, meta_lines = clean_scraped(raw)
    else:
        body, html_meta = guarded("clean", extract_html, doc.html or "", doc.url, default=("", None))
        raw = body
        removed, title, meta_lines = [], None, []
        if not body.strip():                    # no article found: clean the page as scraped text
            raw = guarded("clean", visible_text, doc.html or "", default="")
            body, removed, title, meta_lines = clean_scraped(raw)
    given = {"url": doc.url, "outlet": doc.outlet, "published": doc.published,
             "title": doc.title, "authors": doc.authors}
    meta = guarded("metadata", extract_metadata, raw, body, given=given, meta_lines=meta_lines,
                   html_meta=html_meta, default=None)
    if meta is None:
        meta = {k: v for k, v in given.items() if v}
    sentences = guarded("sentences", split_sentences, body, opts.sentences, default=[])
    language = guarded("language", detect_language, body, default=None)
    quotes = quotes_for_language(guarded("quotes", extract_quotes, body, sentences, default=[]), language)
    if not body.strip() and not found:
        path, line = guard.split_origin(doc.origin)
        found.append(Problem(path, line, "no article text found in the page (kept with its metadata only)",
                             stage="clean", article=doc.id))
    if any(p.error == "StageTimeout" for p in found):
        found[-1].reason += "; the later steps of this document were skipped"
    return {
        "text": body, "removed": removed,
        "title": doc.title or meta.get("title") or title,
        "published": meta.get("published"), "authors": meta.get("authors") or [],
        "dateline": _stored(meta.get("dateline")), "credits": [c.to_dict() for c in meta.get("credits") or []],
        "cited_sources": [c.to_dict() for c in meta.get("cited_sources") or []], "outlet": meta.get("outlet"),
        "outlet_source": _stored(meta.get("outlet_source")),
        "sentences": [list(s) for s in sentences], "quotes": [q.to_dict() for q in quotes],
        "language": language,
        "problems": [p.to_dict() for p in found],
    }


def _stored(x):
    return x.to_dict() if x is not None else None


# -- whole corpus ---------------------------------------------------------------

def _corpus_stage(store: Store, articles: list[Article], article_keys: list[str], opts: Options,
                  progress: Progress | None, problems: list[Problem]) -> Analysis:
    """The whole-corpus stages (``stages.CORPUS``) in order, each from the store or
    computed and stored at once (a run killed in a later stage, or out of memory,
    does not redo the stages it finished)."""
    from .framing.actors import spacy_problem
    prior = store.get_results("story-state", ["latest"]).get("latest") if opts.incremental else None
    if (why := spacy_problem()) is not None:       # asked for, not there: said, not silently dropped
        problems.append(Problem("(corpus)", None, why, stage="framing", error="ModelNotLoaded"))
    # the articles' key is made of the per-document results' keys (their version,
    # content and options: another --sentences changes them), not of the contents alone
    input_keys = {"articles": stages.key_of(article_keys, [a.id for a in articles]),
                  "prior state": stages.key_of(prior["ids"], prior["members"]) if prior else None}
    workers = n_workers(opts.workers) if len(articles) >= PARALLEL_MIN_DOCS else 1
    run = stages.Run(articles, opts, workers, prior_state=prior)
    for stage in stages.CORPUS:
        if progress:
            progress(stage.name, 0, 1)
        key = input_keys[stage.name] = stages.stage_key(stage, opts, input_keys)
        hit = store.get_results("corpus", [key]).get(key)
        if hit is None:
            guard.drain()
            value = stage.run_local(run)
            found = guard.drain()
            # a dead worker is this run's news, not part of the result
            hit = {"value": value, "problems": [p.to_dict() for p in found if p.stage != "worker"]}
            del value
            store.put_results("corpus", [(key, hit)], keep_order=True)      # as analysis.json orders it
            problems.extend(found)
        else:
            problems.extend(Problem.from_dict(p) for p in hit["problems"])
        # the stored form becomes the model's objects and is not held through the next stage
        stored, hit = hit["value"], None
        run.results[stage.name] = stages.use(stage, run, stored)
        del stored
        if run.story_state is not None:             # stored at once, not held to the end (~400 MB at 100k)
            store.put_results("story-state", [("latest", run.story_state)])
            run.story_state = None
    framing = limit_corpus(articles, run.results["framing"])     # English-only results of other languages dropped
    return Analysis(articles=articles, stories=run.results["stories"], derivations=run.results["derivations"],
                    quote_groups=run.results["quote groups"], framing=framing,
                    storylines=run.results["storylines"], own_reuse=run.results.get("own reuse") or [])
