"""The Spark driver: the local engine's stages as Spark jobs (``analyze_spark``).

Only the driver differs from ``wiretrace.pipeline``: every stage calls the
same functions (readers, ``process_document``, the reuse and story code), and
the joins that the local engine does in memory are shuffles here.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..model import Article, Problem, RawDoc, quote_from_dict
from ..pipeline import Options, content_hash, process_document, variant_id
from ..unionfind import DisjointSets
from .read import raw_doc, read_corpus
from .session import spark_session

try:
    from pyspark import StorageLevel
except ImportError:  # pragma: no cover - pyspark is the 'spark' extra
    StorageLevel = None


def _with_ids(rows):
    """Per id (all rows read under it, any order): rename later distinct contents
    exactly as the local engine does (id, id~2, ...), with a problem for each."""
    aid, items = rows
    items = sorted(items, key=lambda r: (r[0], r[1]))
    variants: list[str] = []
    for order, seq, h, doc_js in items:
        if h not in variants:
            variants.append(h)
        new_id = variant_id(aid, variants.index(h))
        prob = None
        if new_id != aid:
            d = json.loads(doc_js)
            prob = json.dumps({"path": d["origin"], "line": None,
                               "reason": f"id {aid!r} already used by another article in this run; "
                                         f"this one is {new_id}"})
        yield (h, (order, seq, new_id, doc_js, prob))


def _dedupe(item):
    """Per content hash: the first reading wins, the other ids become aliases."""
    h, rows = item
    rows = sorted(rows, key=lambda r: (r[0], r[1]))
    ids: list[str] = []
    for r in rows:
        if r[2] not in ids:
            ids.append(r[2])
    first = rows[0]
    doc = json.loads(first[3])
    doc["id"] = ids[0]
    return (h, (first[0], first[1], ids, json.dumps(doc), len(rows)))


def _line_keys(item):
    from ..clean.leftovers import line_key

    h, (_, _, _, doc_js, _) = item
    d = json.loads(doc_js)
    if d.get("text") is None:
        return []
    return [(k, h) for k in {line_key(ln) for ln in d["text"].splitlines()} if k]


def read_and_process(spark, inputs: list[str], opts: Options):
    """(RDD of (hash, (order, seq, ids, doc_json, result_dict)), problems, counts).
    Problems (unreadable input, renamed ids) come in the local engine's order: reading order."""
    from pyspark import StorageLevel

    rows = read_corpus(spark, inputs, opts.max_bytes).persist(StorageLevel.MEMORY_AND_DISK)
    found = [((r.order, r.seq), r.problem) for r in
             rows.filter("problem IS NOT NULL").select("order", "seq", "problem").collect()]
    docs = rows.filter("doc IS NOT NULL").rdd.map(
        lambda r: (r.order, r.seq, r.doc, content_hash(raw_doc(r.doc))))
    by_id = docs.map(lambda t: (json.loads(t[2])["id"], (t[0], t[1], t[3], t[2]))).groupByKey().flatMap(
        lambda kv: _with_ids((kv[0], list(kv[1]))))
    renamed = by_id.map(lambda kv: (kv[0], (kv[1][0], kv[1][1], kv[1][2], _set_id(kv[1][3], kv[1][2]))))
    found += by_id.filter(lambda kv: kv[1][4] is not None).map(lambda kv: ((kv[1][0], kv[1][1]), kv[1][4])).collect()
    problems = [Problem(**json.loads(p)) for _, p in sorted(found, key=lambda x: x[0])]
    unique = renamed.groupByKey().map(lambda kv: _dedupe((kv[0], list(kv[1])))).persist(StorageLevel.MEMORY_AND_DISK)
    # Lines seen in 2+ documents, joined back to the documents that carry them.
    repeated = (unique.flatMap(_line_keys).groupByKey()
                .flatMap(lambda kv: [(h, kv[0]) for h in kv[1]] if len(set(kv[1])) >= 2 else [])
                .groupByKey().mapValues(frozenset))
    sentences = opts.sentences

    def process(kv):
        h, ((order, seq, ids, doc_js, n), rep) = kv
        o = Options(sentences=sentences)
        return (h, (order, seq, ids, doc_js, process_document(raw_doc(doc_js), rep or frozenset(), o)))

    processed = unique.leftOuterJoin(repeated).map(process).persist(StorageLevel.MEMORY_AND_DISK)
    counts = {"read": docs.count()}
    return processed, problems, counts


def _set_id(doc_js: str, new_id: str) -> str:
    d = json.loads(doc_js)
    d["id"] = new_id
    return json.dumps(d)


def to_article(h: str, ids: list[str], doc_js: str, r: dict) -> Article:
    d = raw_doc(doc_js)
    return Article(
        id=ids[0], text=r["text"], outlet=r["outlet"], title=r["title"], published=r["published"],
        url=d.url, authors=r["authors"], dateline=r["dateline"], credits=r["credits"],
        cited_sources=r["cited_sources"], removed=r["removed"],
        sentences=[tuple(s) for s in r["sentences"]], quotes=[quote_from_dict(q) for q in r["quotes"]],
        aliases=ids[1:], content_hash=h, origin=d.origin, fields=d.fields)


# -- the whole analysis -----------------------------------------------------------

#: Story grouping reads an article's title and the opening of its body only
#: (``stories.features``: LEAD_CHARS = 600 for terms, 1200 chars for entities):
#: the driver receives this much of each text, not the whole corpus' text.
#: tests/spark check that the stories are identical to the local engine's.
STORY_TEXT_CHARS = 2000


def _indexed_articles(processed):
    """(index, Article) with the local engine's index: the order of first reading."""
    P = _parts(processed)
    keyed = processed.map(lambda kv: ((kv[1][0], kv[1][1]), kv)).sortByKey(numPartitions=P)
    return keyed.zipWithIndex().map(
        lambda t: (t[1], to_article(t[0][1][0], t[0][1][1][2], t[0][1][1][3], t[0][1][1][4])))


def _parts(rdd) -> int:
    """Partitions of every shuffle (``spark.sql.shuffle.partitions``; session.py
    sets it from WIRETRACE_SPARK_PARTITIONS): a join's default would add up its parents'."""
    return int(rdd.context.getConf().get("spark.sql.shuffle.partitions", "8"))


def _shingle_features(part):
    """Per partition of (index, (Article, Doc)): the same shingles, MinHash
    signatures and sampled fingerprints as ``reuse.candidates.candidate_pairs``."""
    import numpy as np

    from ..reuse import candidates as cp
    from ..reuse import minhash as mh
    from ..reuse.shingles import text_shingle_hashes
    from ..trace import derive

    part = list(part)
    if not part:
        return
    hs = [text_shingle_hashes(a.text or "", 5) for _, (a, _d) in part]
    sig = mh.signatures(iter(hs), 128, mh.SEED, count=len(hs))
    rows = 128 // (128 // cp.DEFAULT_ROWS)
    bands = 128 // cp.DEFAULT_ROWS
    has = np.array([len(h) > 0 for h in hs])
    idx = np.array([i for i, _ in part], dtype=np.int64)
    for k, (i, _) in enumerate(part):
        for fp in cp.sample_fingerprints(hs[k], derive.CANDIDATE_SAMPLE_MOD).tolist():
            yield ("f", fp, i)
    if has.any():
        s = sig[has].astype(np.uint64)
        whole = cp.whole_hash(s).tolist()
        ids = idx[has].tolist()
        for bnd in range(bands):
            keys = cp.band_key(s, bnd, rows).tolist()
            for k in range(len(ids)):
                yield ("b", (bnd, keys[k]), (whole[k], ids[k]))


def _bucket_pairs(members, n_docs: int, cap: int, chain_big: bool):
    """Pairs (i, j), i < j, inside one bucket: ``candidates._group_pairs`` on one run."""
    import numpy as np

    from ..reuse import candidates as cp

    m = np.array(members, dtype=np.uint32)
    codes = cp._group_pairs(m, np.array([0]), np.array([len(m)]), n_docs, cap, chain_big)
    return [(int(c) // n_docs, int(c) % n_docs) for c in codes.tolist()]


def candidate_pairs_spark(docs, n_docs: int):
    """The candidate pairs of ``derive._candidates`` as a distributed join: LSH band
    keys and sampled fingerprints are the join keys (a shuffle each); no
    signature leaves its executor except inside its own bucket."""
    P = _parts(docs)
    from ..reuse import candidates as cp

    feats = docs.mapPartitions(_shingle_features)
    lsh = (feats.filter(lambda r: r[0] == "b").map(lambda r: (r[1], r[2])).groupByKey(P)
           .flatMap(lambda kv: _bucket_pairs([i for _, i in sorted(kv[1])], n_docs, cp.MAX_BUCKET, True)
                    if len(kv[1]) >= 2 else []))
    cont = (feats.filter(lambda r: r[0] == "f").map(lambda r: (r[1], r[2])).groupByKey(P)
            .flatMap(lambda kv: _bucket_pairs(sorted(kv[1]), n_docs, cp.MAX_DF, False)
                     if 2 <= len(kv[1]) <= cp.MAX_DF else [])
            .map(lambda p: (p, 1)).reduceByKey(lambda a, b: a + b, P)
            .filter(lambda kv: kv[1] >= 2).keys())
    return lsh.union(cont).distinct(P)


def _furniture(docs):
    """(index, furniture sentence set) for every article (``derive.furniture_of``);
    a sentence's posting list is stood in for by a hash of it."""
    P = _parts(docs)
    import xxhash

    from ..trace import derive

    def post(kv):
        k, ids = kv
        ids = sorted(set(ids))
        if len(ids) <= derive.MAX_UNIT_DF:
            return []
        sig = xxhash.xxh3_128_hexdigest(",".join(map(str, ids)).encode())
        return [(i, (k, sig)) for i in ids]

    keys = (docs.flatMap(lambda kv: [(k, kv[0]) for k in set(kv[1][1].unit_norm)])
            .groupByKey(P).flatMap(post).groupByKey(P))

    def furn(kv):
        i, ((a, d), ks) = kv
        m = dict(ks) if ks else {}
        return i, derive.furniture_of([e - b for b, e in d.units], [m.get(k) for k in d.unit_norm])
    return docs.leftOuterJoin(keys, P).map(furn)


def derivations_spark(arts, n_docs: int):
    """RDD of Derivation: ``derive.find_derivations`` with shuffles between its pieces."""
    P = _parts(arts)
    from ..trace import derive

    if n_docs < 2:
        return arts.context.parallelize([])
    docs = arts.mapValues(lambda a: (a, derive._doc(a))).persist(StorageLevel.MEMORY_AND_DISK)
    furn = _furniture(docs)
    full = docs.join(furn, P).mapValues(lambda v: (v[0][0], v[0][1], v[1])).persist(StorageLevel.MEMORY_AND_DISK)   # i -> (A, D, F)
    pairs = candidate_pairs_spark(docs, n_docs)

    def match(kv):
        j, ((i, (ai, di, fi)), (aj, dj, fj)) = kv
        r = derive.match_pair(i, j, ai, aj, di, dj, fi, fj)
        if r is None:
            return []
        s, t, why, ms = r
        a_s, d_s = (ai, di) if s == i else (aj, dj)
        return [(t, (s, why, ms, a_s, d_s, derive.is_derived(ms)))]

    matches = (pairs.join(full, P).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
               .join(full, P).flatMap(match)).persist(StorageLevel.MEMORY_AND_DISK)
    # raw derived-from edges into each source, joined to the targets that source feeds
    strong_in = matches.filter(lambda kv: kv[1][5]).map(lambda kv: (kv[0], kv[1][0])).groupByKey(P).mapValues(set)
    src_edges = (matches.map(lambda kv: (kv[1][0], kv[0])).join(strong_in, P)
                 .map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))))

    def per_target(kv):
        t, (ms_list, tdocs, edges) = kv
        ms_list = list(ms_list)
        if not ms_list:
            return []
        a_t, d_t, _ = list(tdocs)[0]
        ms_list.sort(key=lambda r: (min(r[0], t), max(r[0], t)))     # the local engine's pair order
        srcs = {r[0]: r[2] for r in ms_list}
        how = {(r[0], t): r[1] for r in ms_list}
        arts_ = {t: a_t, **{r[0]: r[3] for r in ms_list}}
        docs_ = {t: d_t, **{r[0]: r[4] for r in ms_list}}
        derived = {(a, b) for b, aset in edges for a in aset if a in srcs and b in srcs}
        return derive.derive_target(arts_, docs_, t, srcs, how, derived)

    out = matches.groupWith(full, src_edges).flatMap(per_target)
    return out, [docs, full, matches]


def quote_groups_spark(arts) -> list[dict]:
    """``group_quotes`` with distributed candidate keys and pair checks; the
    connected components are found on the driver from the linked pairs only."""
    P = _parts(arts)
    from ..framing import quote_groups as qg

    qk = arts.flatMap(lambda kv: [((kv[0], qi), k) for qi, k in qg.quote_keys(kv[1])]).persist(StorageLevel.MEMORY_AND_DISK)

    def pairs(kv):
        items = sorted(set(kv[1]))
        if len(items) > qg.MAX_POSTINGS:
            return []
        return [(n, m) for x, n in enumerate(items) for m in items[x + 1:] if n[0] != m[0]]

    cand = qk.flatMap(lambda kv: [(s, kv[0]) for s in qg._shingles(kv[1])]).groupByKey(P).flatMap(pairs).distinct(P)
    edges = (cand.join(qk, P).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).join(qk, P)
             .filter(lambda kv: qg._same_keys(kv[1][0][1], kv[1][1]))
             .map(lambda kv: (kv[1][0][0], kv[0])).collect())
    qk.unpersist()
    sets = DisjointSets()
    for n, m in edges:
        sets.union(n, m)
    comp = {x: sets.find(x) for x in list(sets.parent)}
    if not comp:
        return []
    bc = arts.context.broadcast(comp)

    def members(kv):
        ai, a = kv
        c = bc.value
        return [(c[(ai, qi)], (ai, qi, a.id, a.published, q)) for qi, q in enumerate(a.quotes or [])
                if (ai, qi) in c]

    groups = arts.flatMap(members).groupByKey(P).map(lambda kv: qg.make_group(list(kv[1]))).filter(
        lambda g: g is not None).collect()
    bc.unpersist()
    return qg.number_groups(groups)


def framing_spark(arts, stories, derivations) -> list[dict]:
    """``compare_framing`` one story at a time, on the executors."""
    P = _parts(arts)
    from ..framing.compare import compare_framing

    sc = arts.context
    multi = [(k, s) for k, s in enumerate(stories) if len(set(s.articles)) >= 2]
    if not multi:
        return []
    story_of = sc.parallelize([(aid, k) for k, s in multi for aid in dict.fromkeys(s.articles)])
    story_by_k = sc.broadcast({k: s for k, s in multi})
    by_story = arts.map(lambda kv: (kv[1].id, kv[1])).join(story_of, P).map(lambda kv: (kv[1][1], kv[1][0]))
    ders = (sc.parallelize([(d.target, (n, d)) for n, d in enumerate(derivations)]).join(story_of, P)
            .map(lambda kv: (kv[1][1], kv[1][0])))

    def one(kv):
        k, (members, ds) = kv
        ds = [d for _, d in sorted(ds, key=lambda x: x[0])]
        return k, compare_framing(list(members), [story_by_k.value[k]], ds)

    out = by_story.groupWith(ders).map(one).collect()
    story_by_k.unpersist()
    return [f for _, fs in sorted(out, key=lambda x: x[0]) for f in fs]


class _Timer:
    """Seconds per stage, printed to stderr when WIRETRACE_SPARK_TIMING is set;
    kept in ``times`` (the benchmark reads them)."""
    times: dict[str, float] = {}

    def __init__(self):
        import time
        self._t = time.perf_counter()
        _Timer.times = {}

    def __call__(self, name: str) -> None:
        import os
        import sys
        import time
        now = time.perf_counter()
        _Timer.times[name] = round(now - self._t, 2)
        if os.environ.get("WIRETRACE_SPARK_TIMING"):
            print(f"[spark] {name}: {now - self._t:.1f}s", file=sys.stderr, flush=True)
        self._t = now


def analyze_spark(inputs: list[str], *, master: str | None = None, options: Options | None = None,
                  out_format: str = "json", output: str | None = None, spark=None) -> dict | None:
    """The whole analysis as Spark jobs.  ``out_format="json"``: returns the
    contract dict (as ``pipeline.analyze(...).to_dict()``); ``"parquet"``: writes
    the tables to the folder ``output`` and returns None."""
    from ..framing.signals import compute_signals
    from ..model import Article, Story
    from ..stories import group_stories

    if out_format not in ("json", "parquet"):
        raise ValueError(f"out_format must be json or parquet, not {out_format!r}")
    if out_format == "parquet" and not output:
        raise ValueError("out_format='parquet' needs an output folder")
    opts = options or Options()
    own = spark is None
    spark = spark or spark_session(master)
    try:
        t = _Timer()
        processed, problems, _counts = read_and_process(spark, [str(p) for p in inputs], opts)
        arts = _indexed_articles(processed).persist(StorageLevel.MEMORY_AND_DISK)
        n_docs = arts.count()
        processed.unpersist()
        t("read+process")
        der_rdd, cached = derivations_spark(arts, n_docs) if n_docs >= 2 else (None, [])
        derivations = sorted(der_rdd.collect(), key=lambda d: (d.target, d.source)) if der_rdd else []
        for c in cached:
            c.unpersist()
        t("derivations")
        quote_groups = quote_groups_spark(arts)
        t("quote_groups")
        # stories: the clustering is global (average linkage over the whole link
        # graph), so it runs on the driver over each article's title + lead only.
        lite = arts.mapValues(lambda a: (a.id, a.title, (a.text or "")[:STORY_TEXT_CHARS], a.published)).collect()
        lite_arts = [Article(id=aid, title=title, text=text, published=pub)
                     for _, (aid, title, text, pub) in sorted(lite, key=lambda x: x[0])]
        stories, storylines = group_stories(lite_arts, derivations, embeddings=opts.embeddings)
        story_of = {a.id: (a.story, a.storyline) for a in lite_arts}
        t("stories")
        framing = framing_spark(arts, stories, derivations)
        t("framing")
        # signals: compute_signals takes the whole corpus (its common-word set is
        # corpus-wide), so it runs on the driver; see docs/spark.md.
        articles = [a for _, a in sorted(arts.collect(), key=lambda x: x[0])]
        for a in articles:
            a.story, a.storyline = story_of[a.id]
        signals = compute_signals(articles, derivations, stories)
        for a in articles:
            a.signals = signals.get(a.id, a.signals)
        t("signals")
        from ..model import Analysis
        analysis = Analysis(articles=articles, stories=stories, derivations=derivations,
                            quote_groups=quote_groups, framing=framing, storylines=storylines,
                            problems=problems)
        arts.unpersist()
        if out_format == "json":
            return analysis.to_dict()
        write_parquet(spark, analysis, output)
        return None
    finally:
        if own:
            spark.stop()


def write_parquet(spark, analysis, output: str) -> None:
    """The analysis as Parquet tables under ``output``: articles, passages,
    derivations, quotes, quote_groups, stories, framing (nested values as JSON text)."""
    def js(v):
        return json.dumps(v, ensure_ascii=False)

    d = analysis.to_dict()
    tables = {
        "articles": ("id string, outlet string, title string, published string, url string, text string, "
                     "story string, storyline string, authors string, dateline string, credits string, "
                     "cited_sources string, removed string, sentences string, signals string, aliases string, "
                     "content_hash string, source_file string",
                     [(a["id"], a["outlet"], a["title"], a["published"], a["url"], a["text"], a["story"],
                       a["storyline"], js(a["authors"]), js(a["dateline"]), js(a["credits"]),
                       js(a["cited_sources"]), js(a["removed"]), js(a["sentences"]), js(a["signals"]),
                       js(a["aliases"]), a["content_hash"], a["source_file"]) for a in d["articles"]]),
        "quotes": ("article string, quote int, text string, start int, end int, speaker string, cue string",
                   [(a["id"], n, q["text"], q["start"], q["end"], q["speaker"], q["cue"])
                    for a in d["articles"] for n, q in enumerate(a["quotes"])]),
        "derivations": ("source string, target string, kind string, credited boolean, share double, evidence string",
                        [(x["source"], x["target"], x["kind"], x["credited"], float(x["share"]), js(x["evidence"]))
                         for x in d["derivations"]]),
        "passages": ("source string, target string, source_start int, source_end int, target_start int, "
                     "target_end int, kind string",
                     [(x["source"], x["target"], p["source_start"], p["source_end"], p["target_start"],
                       p["target_end"], p["kind"]) for x in d["derivations"] for p in x["passages"]]),
        "quote_groups": ("id string, speaker string, text string, members string, reattributed boolean",
                         [(g["id"], g["speaker"], g.get("text"), js(g["members"]), bool(g.get("reattributed")))
                          for g in d["quote_groups"]]),
        "stories": ("id string, storyline string, title string, articles string, origin string, first_seen string, "
                    "evidence string",
                    [(s["id"], s["storyline"], s["title"], js(s["articles"]), s["origin"], s["first_seen"],
                      js(s["evidence"])) for s in d["stories"]]),
        "framing": ("story string, article string, added string, omitted string, terms string, actor_changes string",
                    [(f["story"], f["article"], js(f["added"]), js(f["omitted"]), js(f["terms"]),
                      js(f["actor_changes"])) for f in d["framing"]]),
    }
    base = output.rstrip("/")
    for name, (schema, rows) in tables.items():
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(f"{base}/{name}")
