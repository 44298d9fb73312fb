"""The Spark driver: the local engine's stages as Spark jobs (``analyze_spark``).

Only the driver differs from ``wiretrace.pipeline``: every stage calls the
same functions (readers, ``process_document``, the reuse and story code), and
the joins that the local engine does in memory are shuffles here.
"""
from __future__ import annotations

import json

from .. import guard, stages
from ..language import english_only_skipped, language_problems, limit_article, limit_framing
from ..model import Article, Problem, QuoteGroup
from ..model.derivation import is_apart, is_own_reuse
from ..pipeline import Options, article_of_result, content_hash, process_document, variant_id
from ..trace.relations import pair_siblings
from .read import raw_doc, read_corpus
from .session import spark_session
from .stories import connected_components, stories_spark

try:
    from pyspark import StorageLevel
    from pyspark.accumulators import AccumulatorParam
except ImportError:  # pragma: no cover - pyspark is the 'spark' extra
    StorageLevel, AccumulatorParam = None, object


class _ProblemList(AccumulatorParam):
    """An accumulator of problem dicts (a list, extended)."""

    def zero(self, value):
        return []

    def addInPlace(self, a, b):
        a.extend(b)
        return a


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
            path, line = guard.split_origin(json.loads(doc_js)["origin"])
            prob = json.dumps({"path": path, "line": line,
                               "reason": f"id {aid!r} already used by another article in this run; "
                                         f"this one is {new_id}", "article": new_id})
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

    rows = read_corpus(spark, inputs, opts.max_bytes, fields=opts.fields).persist(StorageLevel.MEMORY_AND_DISK)
    found = [((r.order, r.seq), r.problem) for r in
             rows.filter("problem IS NOT NULL").select("order", "seq", "problem").collect()]
    docs = rows.filter("doc IS NOT NULL").rdd.map(
        lambda r: (r.order, r.seq, r.doc, content_hash(raw_doc(r.doc))))
    by_id = docs.map(lambda t: (json.loads(t[2])["id"], (t[0], t[1], t[3], t[2]))).groupByKey().flatMap(
        lambda kv: _with_ids((kv[0], list(kv[1]))))
    renamed = by_id.map(lambda kv: (kv[0], (kv[1][0], kv[1][1], kv[1][2], _set_id(kv[1][3], kv[1][2]))))
    found += by_id.filter(lambda kv: kv[1][4] is not None).map(lambda kv: ((kv[1][0], kv[1][1]), kv[1][4])).collect()
    problems = [Problem.from_dict(json.loads(p)) for _, p in sorted(found, key=lambda x: x[0])]
    unique = renamed.groupByKey().map(lambda kv: _dedupe((kv[0], list(kv[1])))).persist(StorageLevel.MEMORY_AND_DISK)
    # Lines seen in 2+ documents, joined back to the documents that carry them.
    repeated = (unique.flatMap(_line_keys).groupByKey()
                .flatMap(lambda kv: [(h, kv[0]) for h in kv[1]] if len(set(kv[1])) >= 2 else [])
                .groupByKey().mapValues(frozenset))
    sentences = opts.sentences

    strict, debug = opts.strict, opts.debug

    def process(kv):
        h, ((order, seq, ids, doc_js, n), rep) = kv
        o = Options(sentences=sentences)
        guard.configure(strict, debug)
        return (h, (order, seq, ids, doc_js, process_document(raw_doc(doc_js), rep or frozenset(), o)))

    processed = unique.leftOuterJoin(repeated).map(process).persist(StorageLevel.MEMORY_AND_DISK)
    # the per-document steps' problems, in reading order after the reading problems (as locally)
    failed = processed.flatMap(lambda kv: [((kv[1][0], kv[1][1]), {**p, "article": kv[1][2][0]})
                                           for p in kv[1][4].get("problems", ())]).collect()
    problems += [Problem.from_dict(p) for _, p in sorted(failed, key=lambda x: x[0])]
    counts = {"read": docs.count()}
    return processed, problems, counts


class _Report:
    """The problems that guards record on the executors (a failing pair, story or
    article), gathered in an accumulator; the driver's strict/debug policy travels
    with each task."""

    def __init__(self, sc, opts: Options):
        self.acc = sc.accumulator([], _ProblemList())
        self.policy = (opts.strict, opts.debug)

    def problems(self) -> list[Problem]:
        """Each once (a recomputed task reports again), in a stable order."""
        seen = {json.dumps(p, sort_keys=True): p for p in self.acc.value}
        order = {"derivations": 0, "framing": 1, "signals": 2}
        return [Problem.from_dict(p) for p in sorted(seen.values(), key=lambda p: (
            order.get(p.get("stage"), 9), p.get("path") or "", p.get("line") or 0, p.get("article") or "",
            p.get("reason") or ""))]


def _reporting(fn, report: _Report | None):
    """``fn`` over a partition under the driver's guard policy; what its guards
    record goes to ``report``'s accumulator."""
    if report is None:
        return fn
    acc, (strict, debug) = report.acc, report.policy

    def run(part):
        guard.configure(strict, debug)
        guard.drain()
        yield from fn(part)
        found = guard.drain()
        if found:
            acc.add([p.to_dict() for p in found])
    return run


def _set_id(doc_js: str, new_id: str) -> str:
    d = json.loads(doc_js)
    d["id"] = new_id
    return json.dumps(d)


def to_article(h: str, ids: list[str], doc_js: str, r: dict) -> Article:
    d = raw_doc(doc_js)
    return article_of_result(r, id=ids[0], url=d.url, aliases=ids[1:], content_hash=h, origin=d.origin,
                             fields=d.fields)


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


def _ident(k):
    """Partitioner for records keyed by their reducer number."""
    return k


def _split(r: "np.ndarray", P: int, *cols):
    """Blocks of ``cols`` (numpy arrays of one length) by reducer ``r``: [(reducer, cols)]."""
    import numpy as np

    if not len(r):
        return []
    order = np.argsort(r, kind="stable")
    rs = r[order]
    cuts = np.flatnonzero(np.r_[True, rs[1:] != rs[:-1]])
    ends = np.r_[cuts[1:], len(rs)]
    return [(int(rs[a]), tuple(c[order[a:b]] for c in cols)) for a, b in zip(cuts.tolist(), ends.tolist())]


def _features(n_docs: int, P: int):
    """Per partition of (index, Article): the local engine's shingles, MinHash
    band keys, sampled containment fingerprints (``reuse.candidates``) and
    sentence hashes (``reuse.align.unit_keys``), as numpy blocks addressed to the
    reducer of their key: ("b" | "f" | "u", reducer, arrays).  One record per
    (partition, reducer, kind), not per key: the shuffle carries ~4.5 KB an article
    in a few thousand pickled arrays instead of ~450 Python tuples."""
    def run(part):
        import numpy as np

        from ..reuse import align as al
        from ..reuse import candidates as cp
        from ..reuse import minhash as mh
        from ..reuse.shingles import text_shingle_hashes
        from ..trace import derive

        part = list(part)
        if not part:
            return
        U64, p64 = np.uint64, np.uint64(P)
        hs = [text_shingle_hashes(a.text or "", 5) for _, a in part]
        sig = mh.signatures(iter(hs), 128, mh.SEED, count=len(hs))
        rows = 128 // (128 // cp.DEFAULT_ROWS)
        bands = 128 // cp.DEFAULT_ROWS
        idx = np.array([i for i, _ in part], dtype=np.int64)
        # containment fingerprints, packed as the local engine packs them (fp high bits | doc)
        fps = [cp.pack_fingerprints(cp.sample_fingerprints(h, derive.CANDIDATE_SAMPLE_MOD), i, n_docs)
               for h, (i, _) in zip(hs, part)]
        if fps:
            packed = np.concatenate(fps)
            bits = U64(cp.doc_bits(n_docs))
            for r, cols in _split(((packed >> bits) % p64).astype(np.int64), P, packed):
                yield ("f", r, cols)
        has = np.array([len(h) > 0 for h in hs])
        if has.any():
            s = sig[has].astype(U64)
            whole = cp.whole_hash(s)
            ids = idx[has]
            keys = [cp.band_key(s, bnd, rows) for bnd in range(bands)]
            band = np.repeat(np.arange(bands, dtype=np.int16), len(ids))
            key = np.concatenate(keys)
            del keys
            # one split over all bands: one block per reducer, whatever the number of bands
            for r, cols in _split((key % p64).astype(np.int64), P, band, key, np.tile(whole, bands),
                                  np.tile(ids, bands)):
                yield ("b", r, cols)
        # sentence hashes (each article's distinct ones) for the furniture index
        H, D = [], []
        for i, a in part:
            _, uh = al.unit_keys(a.text, a.sentences or None)
            u = np.unique(np.fromiter(uh, dtype=U64, count=len(uh)))
            H.append(u)
            D.append(np.full(len(u), i, dtype=np.int64))
        H, D = np.concatenate(H), np.concatenate(D)
        for r, cols in _split((H % p64).astype(np.int64), P, H, D):
            yield ("u", r, cols)
    return run


def _cat(blocks, k: int):
    import numpy as np

    return [np.concatenate([b[c] for b in blocks]) for c in range(k)]


def _lsh_reduce(n_docs: int):
    """One reducer's LSH buckets (all members of a (band, key) are here): the
    pairs of ``candidates.lsh_pairs`` (members ordered by whole-signature hash,
    then index; buckets over MAX_BUCKET chained), as pair codes."""
    def run(part):
        import numpy as np

        from ..reuse import candidates as cp

        blocks = [v for _, v in part]
        if not blocks:
            return
        band, key, whole, ids = _cat(blocks, 4)
        order = np.lexsort((ids, whole, key, band))
        band, key, ids = band[order], key[order], ids[order]
        brk = np.flatnonzero((key[1:] != key[:-1]) | (band[1:] != band[:-1])) + 1
        starts = np.concatenate(([0], brk))
        lens = np.diff(np.concatenate((starts, [len(key)])))
        if (lens >= 2).any():
            yield np.unique(cp.group_pairs(ids, starts, lens, n_docs, cp.MAX_BUCKET, chain_big=True))
    return run


def _fp_reduce(n_docs: int):
    """One reducer's containment fingerprints (all documents of a fingerprint are
    here): (pair codes, shared fingerprints) per ``candidates.containment_pairs``;
    the counts are summed over reducers afterwards."""
    def run(part):
        from ..reuse import candidates as cp

        blocks = [v for _, v in part]
        if not blocks:
            return
        (packed,) = _cat(blocks, 1)
        codes, cnt = cp.containment_pairs([packed], n_docs, 1, cp.MAX_DF)
        if len(codes):
            yield codes, cnt
    return run


def _pairs_reduce(min_shared: int, n_docs: int | None = None, lenient=None, lenient_min_shared: int | None = None):
    """Per reducer of pair codes: LSH codes and containment codes whose counts,
    summed over all fingerprint reducers, reach ``min_shared`` (or, with ``lenient``
    a broadcast bool array a document, ``lenient_min_shared`` for a pair of a
    flagged and an unflagged one: ``candidates.keep_shared``); (i, j) pairs."""
    def run(part):
        import numpy as np

        from ..reuse import candidates as cp

        lsh, cc, cn = [], [], []
        for _, (kind, cols) in part:
            if kind == "l":
                lsh.append(cols[0])
            else:
                cc.append(cols[0])
                cn.append(cols[1])
        out = np.concatenate(lsh) if lsh else np.zeros(0, dtype=np.uint64)
        if cc:
            codes, cnt = np.concatenate(cc), np.concatenate(cn)
            order = np.argsort(codes, kind="stable")
            codes, cnt = codes[order], cnt[order]
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            tot = np.add.reduceat(cnt, starts) if len(starts) else cnt
            keep = cp.keep_shared(codes[starts], tot, n_docs or 1, min_shared,
                                  None if lenient is None else lenient.value, lenient_min_shared)
            out = np.union1d(out, codes[starts][keep])
        else:
            out = np.unique(out)
        yield out
    return run


def _to_reducers(P: int, kind: str):
    def run(cols):
        import numpy as np

        codes = cols[0]
        return [(r, (kind, c)) for r, c in _split((codes % np.uint64(P)).astype(np.int64), P, *cols)]
    return run


def candidate_pairs_spark(feats, n_docs: int, P: int, agency=None):
    """The candidate pairs of ``derive.text_candidates`` as a distributed join, as an
    RDD of pair-code arrays (``i * n_docs + j``, i < j; every code once).  LSH
    band keys and containment fingerprints are shuffle keys: each reducer gets
    every member of its keys and pairs them with the local engine's numpy code;
    the pair codes are then shuffled by code to add up the shared fingerprints.
    No signature leaves its executor except inside its own bucket."""
    from ..trace import derive

    lsh = (feats.filter(lambda r: r[0] == "b").map(lambda r: (r[1], r[2]))
           .partitionBy(P, _ident).mapPartitions(_lsh_reduce(n_docs)))
    cont = (feats.filter(lambda r: r[0] == "f").map(lambda r: (r[1], r[2]))
            .partitionBy(P, _ident).mapPartitions(_fp_reduce(n_docs)))
    return (lsh.map(lambda c: (c,)).flatMap(_to_reducers(P, "l"))
            .union(cont.flatMap(_to_reducers(P, "c")))
            .partitionBy(P, _ident).mapPartitions(_pairs_reduce(  # the settings of derive.text_candidates
                derive.CANDIDATE_MIN_SHARED, n_docs, agency, derive.AGENCY_MIN_SHARED)))


def _furniture_keys(feats, P: int):
    """(index, {sentence hash: stand-in}) for the articles holding a sentence seen
    in more than MAX_UNIT_DF articles; the stand-in for the sentence's set of
    articles is ``derive.furniture_index``'s (a hash of the sorted indices)."""
    def run(part):
        import numpy as np
        import xxhash

        from ..trace import derive

        blocks = [v for _, v in part]
        if not blocks:
            return
        H, D = _cat(blocks, 2)
        order = np.lexsort((D, H))
        H, D = H[order], D[order]
        starts = np.flatnonzero(np.r_[True, H[1:] != H[:-1]])
        counts = np.diff(np.r_[starts, len(H)])
        for b, c in zip(starts[counts > derive.MAX_UNIT_DF].tolist(), counts[counts > derive.MAX_UNIT_DF].tolist()):
            k = xxhash.xxh3_64_intdigest(D[b:b + c].tobytes())
            h = int(H[b])
            for i in D[b:b + c].tolist():
                yield i, (h, k)

    return (feats.filter(lambda r: r[0] == "u").map(lambda r: (r[1], r[2]))
            .partitionBy(P, _ident).mapPartitions(run).groupByKey(P).mapValues(dict))


def _furniture_of(a, keymap) -> set:
    """``derive.furniture_of`` for one article from its sentence hashes."""
    from ..reuse import align as al
    from ..trace import derive

    if not keymap:
        return set()
    units, hs = al.unit_keys(a.text, a.sentences or None)
    return derive.furniture_of([e - b for b, e in units], [keymap.get(h) for h in hs])


class _Docs:
    """Alignment structures built on the executor, least recently used dropped
    (``derive.DocCache`` by article index, for one task)."""

    def __init__(self, size: int = 256):
        from collections import OrderedDict
        self.size, self.docs = size, OrderedDict()

    def get(self, i: int, a):
        from ..trace import derive

        d = self.docs.get(i)
        if d is None:
            d = self.docs[i] = derive.unit_doc(a)
            if len(self.docs) > self.size:
                self.docs.popitem(last=False)
        else:
            self.docs.move_to_end(i)
        return d


def _ends_with_article(kv):
    """Per article: its pair ends, each with (index, Article, furniture set)."""
    i, vals = kv
    ends, a, km = [], None, None
    for tag, v in vals:
        if tag == 0:
            ends.append(v)
        elif tag == 1:
            a = v
        else:
            km = v
    if not ends:
        return []
    val = (i, a, _furniture_of(a, km))
    return [(e, val) for e in ends]


def _match_pairs(part):
    """Records ((i, j, side), (index, Article, furniture)) sorted by key, both
    sides of a pair adjacent: ``derive.match_pair`` on each pair, with the Docs
    built here; i's Doc is reused over its run of pairs."""
    from ..trace import derive

    docs = _Docs()
    prev = None
    for (i, j, side), v in part:
        if side == 0:
            prev = (i, j, v)
            continue
        if prev is None or prev[:2] != (i, j):
            continue
        (_, ai, fi), (_, aj, fj) = prev[2], v
        r = guard.attempt("derivations", lambda: derive.match_pair(i, j, ai, aj, docs.get(i, ai), docs.get(j, aj),
                                                                  fi, fj),
                          origin=aj.origin, article=aj.id, what=f"the pair {ai.id} / {aj.id}")
        if r is None:
            continue
        s, t, why, ms = r
        a_s, a_t = (ai, aj) if s == i else (aj, ai)
        yield t, (s, why, ms, a_s, derive.is_derived(ms), a_t)


def _three_ways(vals):
    """A target's tagged records as (its matches, the derived-from edges into its
    sources, the pairs it is the source of)."""
    out = ([], [], [])
    for tag, v in vals:
        out[tag].append(v)
    return out


def _per_target(part):
    """Per target: ``derive.derive_target`` over its matches (with the source and
    target Articles they carry) and the derived-from edges between its sources;
    Docs rebuilt here (an LRU over the task)."""
    from ..trace import derive

    docs = _Docs()
    for t, (ms_list, edges, outgoing) in part:
        ms_list = list(ms_list)
        if not ms_list:
            continue
        ms_list.sort(key=lambda r: (min(r[0], t), max(r[0], t)))     # the local engine's pair order
        a_t = ms_list[0][5]
        srcs = {r[0]: r[2] for r in ms_list}
        how = {(r[0], t): r[1] for r in ms_list}
        arts_ = {t: a_t, **{r[0]: r[3] for r in ms_list}}
        copies = {}
        for b, ms, a_b in outgoing:          # the pairs t is the source of (derive.may_bear)
            copies[b] = ms
            arts_.setdefault(b, a_b)
        docs_ = {k: docs.get(k, a) for k, a in arts_.items() if k == t or k in srcs}
        derived = {(a, b) for b, aset in edges for a in aset if a in srcs and b in srcs}
        yield from guard.attempt("derivations", derive.derive_target, arts_, docs_, t, srcs, how, derived, copies,
                                 origin=a_t.origin, article=a_t.id, what="the sources of this article", default=[])


def derivations_spark(arts, n_docs: int, timer=None, report=None):
    """RDD of Derivation: ``derive.find_derivations`` with shuffles between its
    pieces.  Only Articles travel (and numpy blocks of hashes); alignment Docs
    are built on the executor for the articles of candidate pairs."""
    P = _parts(arts)
    import numpy as np
    from pyspark.rdd import portable_hash

    from ..trace.derive import is_agency_copy

    if n_docs < 2:
        return arts.context.parallelize([]), []
    feats = arts.mapPartitions(_features(n_docs, P)).persist(StorageLevel.MEMORY_AND_DISK)
    fkeys = _furniture_keys(feats, P)
    # which articles are an agency's own copy (derive.agency_flags), one bool each
    flags = np.zeros(n_docs, dtype=bool)
    flags[arts.filter(lambda kv: is_agency_copy(kv[1])).keys().collect()] = True
    agency = arts.context.broadcast(flags)
    codes = candidate_pairs_spark(feats, n_docs, P, agency).persist(StorageLevel.MEMORY_AND_DISK)
    if timer is not None and timer.on:           # sub-stage times (the benchmark): force each piece
        feats.count()
        timer("derivations/features")
        timer.note("candidate_pairs", sum(codes.map(len).collect()))
        timer("derivations/candidates")
    n = n_docs
    # both ends of every pair, keyed by article; one shuffle brings each end its
    # Article (and the article's furniture keys), a second sorts the ends by pair
    ends = codes.flatMap(lambda c: [(int(x) // n, (int(x) // n, int(x) % n, 0)) for x in c.tolist()]
                         + [(int(x) % n, (int(x) // n, int(x) % n, 1)) for x in c.tolist()])
    sides = (ends.map(lambda kv: (kv[0], (0, kv[1]))).union(arts.map(lambda kv: (kv[0], (1, kv[1]))))
             .union(fkeys.map(lambda kv: (kv[0], (2, kv[1])))).groupByKey(P).flatMap(_ends_with_article)
             .repartitionAndSortWithinPartitions(P, lambda k: portable_hash(k[0])))
    matches = sides.mapPartitions(_reporting(_match_pairs, report)).persist(StorageLevel.MEMORY_AND_DISK)
    # raw derived-from edges into each source, joined to the targets that source feeds
    strong_in = matches.filter(lambda kv: kv[1][4]).map(lambda kv: (kv[0], kv[1][0])).groupByKey(P).mapValues(set)
    src_edges = (matches.map(lambda kv: (kv[1][0], kv[0])).join(strong_in, P)
                 .map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))))
    if timer is not None and timer.on:
        timer.note("matched_pairs", matches.count())
        timer("derivations/pairs")
    # the pairs each article is the source of that may bear on its joint reading of an
    # agency copy (derive.may_bear: two outlets' same-day texts), sent back to the source
    from ..trace.derive import may_bear
    outgoing = (matches.filter(lambda kv: may_bear(kv[1][3], kv[1][5], kv[1][2]))
                .map(lambda kv: (kv[1][0], (kv[0], kv[1][2], kv[1][5]))))
    out = (matches.map(lambda kv: (kv[0], (0, kv[1]))).union(src_edges.map(lambda kv: (kv[0], (1, kv[1]))))
           .union(outgoing.map(lambda kv: (kv[0], (2, kv[1])))).groupByKey(P)
           .mapValues(_three_ways).mapPartitions(_reporting(_per_target, report)))
    return out, [feats, codes, matches]


def quote_groups_spark(arts) -> list[QuoteGroup]:
    """``group_quotes`` with distributed candidate keys, pair checks and
    connected components (``spark.stories.connected_components``)."""
    P = _parts(arts)
    from ..framing import quote_groups as qg

    qk = arts.flatMap(lambda kv: [((kv[0], qi), k) for qi, k in qg.quote_keys(kv[1])]).persist(
        StorageLevel.MEMORY_AND_DISK)

    def pairs(kv):
        items = sorted(set(kv[1]))
        if len(items) > qg.MAX_POSTINGS:
            return []
        return [(n, m) for x, n in enumerate(items) for m in items[x + 1:] if n[0] != m[0]]

    cand = qk.flatMap(lambda kv: [(s, kv[0]) for s in qg.quote_shingles(kv[1])]).groupByKey(P).flatMap(pairs).distinct(P)
    edges = (cand.join(qk, P).map(lambda kv: (kv[1][0], (kv[0], kv[1][1]))).join(qk, P)
             .filter(lambda kv: qg.same_keys(kv[1][0][1], kv[1][1]))
             .map(lambda kv: (kv[1][0][0], kv[0])))
    # groups: connected components of the linked quotes (distributed; labels are
    # the smallest (article, quote) of each, as the local union-find's)
    comp, E = connected_components(edges, P)

    def members(kv):
        ai, a = kv
        return [((ai, qi), (ai, qi, a.id, a.published, q)) for qi, q in enumerate(a.quotes or [])]

    groups = (arts.flatMap(members).join(comp, P).map(lambda kv: (kv[1][1], kv[1][0])).groupByKey(P)
              .map(lambda kv: qg.make_group(list(kv[1]))).filter(lambda g: g is not None).collect())
    qk.unpersist()
    E.unpersist()
    return qg.number_groups(groups)


def framing_spark(arts, stories, ders, report=None):
    """``compare_framing`` one story at a time, on the executors: RDD of (story
    number, framing records).  ``stories``: RDD of (k, Story); ``ders``: RDD of
    (n, Derivation)."""
    P = _parts(arts)
    from ..framing.compare import compare_framing

    multi = stories.filter(lambda ks: len(set(ks[1].articles)) >= 2)
    story_of = multi.flatMap(lambda ks: [(aid, ks[0]) for aid in dict.fromkeys(ks[1].articles)])
    by_story = arts.map(lambda kv: (kv[1].id, kv[1])).join(story_of, P).map(lambda kv: (kv[1][1], kv[1][0]))
    into = ders.map(lambda nd: (nd[1].target, nd)).join(story_of, P).map(lambda kv: (kv[1][1], kv[1][0]))

    def one(kv):
        k, (members, ds, st) = kv
        ds = [d for _, d in sorted(ds, key=lambda x: x[0])]
        members = list(members)
        non_english = {m.id for m in members if english_only_skipped(m.language)}
        return k, limit_framing(compare_framing(members, list(st), ds), non_english)

    return (by_story.groupWith(into, multi).filter(lambda kv: len(kv[1][2]) > 0)
            .mapPartitions(_reporting(lambda part: map(one, part), report)))


def signals_spark(arts, ders, stories, assign, report=None):
    """RDD of (index, Article) with story, storyline and signals set: the signals
    of ``framing.signals.compute_signals`` computed on the executors.  The
    corpus-wide part (``common_words``) is a distributed union and intersection,
    broadcast; each article then gets its derivations, its story assignment and
    the ``quote_view`` of every related article (the others of its stories, its
    sources) through one shuffle by article id, and ``article_signals`` runs there."""
    P = _parts(arts)
    from ..framing import signals as sg

    sc = arts.context
    words = arts.map(lambda kv: sg.signal_words(kv[1].text))
    common = set(words.flatMap(lambda w: w[0]).distinct(P).intersection(words.flatMap(lambda w: w[1]).distinct(P))
                 .collect())
    common_bc = sc.broadcast(frozenset(common))

    def view(kv):
        a = kv[1]
        v = sg.quote_view(sg.quotes_doc(a))
        return [(a.id, v)] if v[1] else []

    views = arts.flatMap(view)
    # who needs whose quotes, with the local engine's order: stories in order,
    # members in story order, then sources in derivation order
    st = stories.map(lambda ks: (ks[0], list(ks[1].articles)))
    asks = st.flatMap(lambda ks: [(x, (m, (0, ks[0], pos))) for m in dict.fromkeys(ks[1])
                                  for pos, x in enumerate(ks[1]) if x != m])
    dr = ders.filter(lambda nd: nd[1].source != nd[1].target)
    asks = asks.union(dr.map(lambda nd: (nd[1].source, (nd[1].target, (1, nd[0])))))
    related = asks.join(views, P).map(lambda kv: (kv[1][0][0], (3, (kv[1][0][1], kv[1][1]))))
    # the names the outlet's other texts of its story introduce (``known_names``): the
    # members grouped by story and ``own_text_key``, in story order
    from ..trace.direction import own_text_key

    def keyed(kv):
        k = own_text_key(kv[1])
        return [(kv[1].id, (k, sg.introduced_names(kv[1].text)))] if k else []

    def known_in(group):
        (_, key), ms = group
        ms = sorted(ms)                                  # (position in the story, id, names)
        return [(m, (4, sg.known_names(key, ((key, nm) for _, x, nm in ms if x != m)))) for _, m, _ in ms]

    members = st.flatMap(lambda ks: [(m, (ks[0], pos)) for pos, m in enumerate(dict.fromkeys(ks[1]))])
    names = (members.join(arts.flatMap(keyed), P)
             .map(lambda kv: ((kv[1][0][0], kv[1][1][0]), (kv[1][0][1], kv[0], kv[1][1][1])))
             .groupByKey(P).flatMap(known_in))
    tagged = (arts.map(lambda kv: (kv[1].id, (0, kv)))
              .union(dr.map(lambda nd: (nd[1].target, (1, nd))))
              .union(assign.map(lambda kv: (kv[0], (2, kv[1]))))
              .union(related)
              .union(names))

    def one(kv):
        _, vals = kv
        art, into, rel, where, known = None, [], [], (None, None), frozenset()
        for tag, v in vals:
            if tag == 0:
                art = v
            elif tag == 1:
                into.append(v)
            elif tag == 2:
                where = v
            elif tag == 4:
                known = v
            else:
                rel.append(v)
        if art is None:
            return []
        i, a = art
        into = [d for _, d in sorted(into, key=lambda x: x[0])]
        seen, views_ = set(), []
        for _, (vid, vq) in sorted(rel, key=lambda x: x[0]):
            if vid not in seen:
                seen.add(vid)
                views_.append((vid, vq))
        a.story, a.storyline = where
        sig = guard.attempt("signals", lambda: sg.article_signals(a, sg.signal_doc(a), common_bc.value, into, views_,
                                                                  known),
                            origin=a.origin, article=a.id)
        if sig is not None:
            a.signals = sig
        return [(i, a)]

    return (tagged.groupByKey(P).mapPartitions(_reporting(lambda part: (x for kv in part for x in one(kv)), report)),
            common_bc)


def _stories_on_driver(arts, ders):
    """The embeddings option: sentence embeddings are not bit-reproducible across
    batchings, so with them the grouping runs on the driver over each article's
    title, date and opening (``STORY_TEXT_CHARS``), as ``group_stories`` does."""
    from ..model import Article
    from ..stories import group_stories

    lite = arts.mapValues(lambda a: (a.id, a.title, (a.text or "")[:STORY_TEXT_CHARS], a.published)).collect()
    lite_arts = [Article(id=aid, title=title, text=text, published=pub)
                 for _, (aid, title, text, pub) in sorted(lite, key=lambda x: x[0])]
    del lite
    derivations = [d for _, d in sorted(ders.collect(), key=lambda x: x[0])]
    stories, storylines = group_stories(lite_arts, derivations, embeddings=True)
    sc = arts.context
    P = _parts(arts)
    parts = max(1, min(P, len(lite_arts) // 10000 + 1))
    assign = sc.parallelize([(a.id, (a.story, a.storyline)) for a in lite_arts], parts)
    return (sc.parallelize(list(enumerate(stories)), parts), sc.parallelize(list(enumerate(storylines)), parts),
            assign, [])


def _indexed_derivations(der_rdd, sc, P: int):
    """(n, Derivation) in the local engine's order: by (target, source)."""
    if der_rdd is None:
        return sc.parallelize([], 1)
    return (der_rdd.map(lambda d: ((d.target, d.source), d)).sortByKey(numPartitions=P).values()
            .zipWithIndex().map(lambda x: (x[1], x[0])))


def _limited(kv):
    """(index, Article) with its English-only results dropped when it is not English."""
    limit_article(kv[1])
    return kv


def _ordered(rdd) -> list:
    """The values of a (k, v) RDD, collected in key order."""
    return [v for _, v in sorted(rdd.collect(), key=lambda x: x[0])]


class _Timer:
    """Seconds per stage, printed to stderr when WIRETRACE_SPARK_TIMING is set;
    kept in ``times`` (the benchmark reads them)."""
    times: dict[str, float] = {}

    def __init__(self):
        import os
        import time
        self._t = time.perf_counter()
        self.on = bool(os.environ.get("WIRETRACE_SPARK_TIMING"))
        _Timer.times = {}

    def note(self, name: str, value) -> None:
        """A count kept beside the times (candidate pairs, matches)."""
        _Timer.times[name] = value

    def __call__(self, name: str) -> None:
        import os
        import sys
        import time
        now = time.perf_counter()
        _Timer.times[name] = round(now - self._t, 2)
        if os.environ.get("WIRETRACE_SPARK_TIMING"):
            print(f"[spark] {name}: {now - self._t:.1f}s", file=sys.stderr, flush=True)
        self._t = now


# -- the corpus stages (stages.CORPUS), each on the Spark context dict -------------

def stage_derivations(ctx: dict) -> None:
    arts, n_docs = ctx["articles"], ctx["n_docs"]
    der_rdd, cached = derivations_spark(arts, n_docs, ctx["timer"], ctx["report"]) if n_docs >= 2 else (None, [])
    own: list = []
    if der_rdd is not None:
        # an outlet's reuse of its own text of another day is kept apart, as the local
        # engine does (model.derivation.split_own_reuse): few, collected in its order
        der_rdd = der_rdd.persist(StorageLevel.MEMORY_AND_DISK)
        # (and so are two carriers of one agency's copy: siblings, not derivations)
        own = sorted(der_rdd.filter(is_apart).collect(), key=lambda d: (d.target, d.source))
        cached = cached + [der_rdd]
        der_rdd = der_rdd.filter(lambda d: not is_apart(d))
    ctx["own reuse"] = own
    ders = _indexed_derivations(der_rdd, ctx["spark"].sparkContext, _parts(arts)).persist(StorageLevel.MEMORY_AND_DISK)
    ders.count()
    for c in cached:
        c.unpersist()
    ctx["derivations"] = ders


def stage_quote_groups(ctx: dict) -> None:
    ctx["quote groups"] = quote_groups_spark(ctx["articles"])


def stage_stories(ctx: dict) -> None:
    arts, ders = ctx["articles"], ctx["derivations"]
    if ctx["opts"].embeddings:
        found = _stories_on_driver(arts, ders)
    else:
        found = stories_spark(arts, ctx["n_docs"], ders, _parts(arts), timer=ctx["timer"])
    ctx["stories"], ctx["storylines"], ctx["assign"], drop = found
    ctx["drop"].extend(drop)


def stage_framing(ctx: dict) -> None:
    framing = framing_spark(ctx["articles"], ctx["stories"], ctx["derivations"], ctx["report"])
    ctx["framing"] = framing.persist(StorageLevel.MEMORY_AND_DISK)
    ctx["framing"].count()


def stage_signals(ctx: dict) -> None:
    final, ctx["common"] = signals_spark(ctx["articles"], ctx["derivations"], ctx["stories"], ctx["assign"],
                                         ctx["report"])
    ctx["final"] = final.map(_limited).persist(StorageLevel.MEMORY_AND_DISK)
    ctx["final"].count()


def analyze_spark(inputs: list[str], *, master: str | None = None, options: Options | None = None,
                  out_format: str = "json", output: str | None = None, spark=None) -> dict | None:
    """The whole analysis as Spark jobs.  ``out_format="json"``: returns the
    contract dict (as ``pipeline.analyze(...).to_dict()``); ``"parquet"``: writes
    the tables to the folder ``output`` and returns None.  The corpus never comes
    to the driver except for the JSON output's final collect (one document)."""
    from ..model import Analysis

    if out_format not in ("json", "parquet"):
        raise ValueError(f"out_format must be json or parquet, not {out_format!r}")
    if out_format == "parquet" and not output:
        raise ValueError("out_format='parquet' needs an output folder")
    opts = options or Options()
    own = spark is None
    spark = spark or spark_session(master)
    try:
        t = _Timer()
        report = _Report(spark.sparkContext, opts)
        processed, problems, _counts = read_and_process(spark, [str(p) for p in inputs], opts)
        arts = _indexed_articles(processed).persist(StorageLevel.MEMORY_AND_DISK)
        n_docs = arts.count()
        processed.unpersist()
        t("read+process")
        ctx = {"spark": spark, "opts": opts, "report": report, "timer": t, "articles": arts, "n_docs": n_docs,
               "drop": []}
        for stage in stages.CORPUS:             # the order both engines walk
            stage.run_spark(ctx)
            t(stage.name)
        arts.unpersist()
        final, ders, stories, framing = ctx["final"], ctx["derivations"], ctx["stories"], ctx["framing"]
        storylines, quote_groups, drop, common_bc = ctx["storylines"], ctx["quote groups"], ctx["drop"], ctx["common"]
        try:
            if out_format == "json":
                analysis = Analysis(articles=_ordered(final), stories=_ordered(stories), derivations=_ordered(ders),
                                    quote_groups=quote_groups, framing=[f for fs in _ordered(framing) for f in fs],
                                    storylines=_ordered(storylines), problems=problems + report.problems(),
                                    own_reuse=ctx["own reuse"])
                analysis.problems += language_problems(analysis.articles)
                return analysis.to_dict()
            write_parquet(spark, output, final, ders, stories, framing, quote_groups, ctx["own reuse"])
            return None
        finally:
            for r in [final, ders, framing] + drop:
                r.unpersist()
            common_bc.unpersist()
            t("output")
    finally:
        if own:
            spark.stop()


def _js(v):
    return json.dumps(v, ensure_ascii=False)


def _article_row(a) -> tuple:
    d = a.to_dict()
    return (d["id"], d["outlet"], d["title"], d["published"], d["url"], d["text"], d["story"],
            d["storyline"], _js(d["authors"]), _js(d["dateline"]), _js(d["credits"]),
            _js(d["cited_sources"]), _js(d["removed"]), _js(d["sentences"]), _js(d["signals"]),
            _js(d["aliases"]), d["content_hash"], d["source_file"])


def _quote_rows(a) -> list[tuple]:
    d = a.to_dict()
    return [(d["id"], n, q["text"], q["start"], q["end"], q["speaker"], q["cue"]) for n, q in enumerate(d["quotes"])]


def _sibling_rows(d) -> list[tuple]:
    """The sibling pairs one derivation (or a pair kept apart) records, as table rows."""
    return [(sb.a, sb.b, sb.source, None if sb.shared_in_source is None else float(sb.shared_in_source),
             sb.agency, None if sb.share is None else float(sb.share)) for sb in pair_siblings(d)]


def _one_sibling(x: tuple, y: tuple) -> tuple:
    """One row per pair: a common source in the corpus before an agency copy it lacks, then the first source id."""
    return min(x, y, key=lambda r: (r[2] is None, r[2] or ""))


def write_parquet(spark, output: str, articles, ders, stories, framing, quote_groups: list[QuoteGroup],
                  own_reuse: list | None = None) -> None:
    """The analysis as Parquet tables under ``output``: articles, passages,
    derivations, quotes, quote_groups, stories, framing (nested values as JSON
    text).  Every table but quote_groups is written by the executors from its RDD
    (articles: (index, Article) with story, storyline and signals set; ders: (n,
    Derivation); stories: (k, Story); framing: (k, records)): neither the corpus
    nor the per-article results come to the driver."""
    js = _js
    P = _parts(articles)
    ordered = articles.sortByKey(numPartitions=P).values()
    der_dicts = ders.sortByKey(numPartitions=P).values().map(lambda d: d.to_dict())
    tables = {
        "articles": ("id string, outlet string, title string, published string, url string, text string, "
                     "story string, storyline string, authors string, dateline string, credits string, "
                     "cited_sources string, removed string, sentences string, signals string, aliases string, "
                     "content_hash string, source_file string",
                     ordered.map(_article_row)),
        "quotes": ("article string, quote int, text string, start int, end int, speaker string, cue string",
                   ordered.flatMap(_quote_rows)),
        "derivations": ("source string, target string, kind string, credited boolean, share double, evidence string",
                        der_dicts.map(lambda x: (x["source"], x["target"], x["kind"], x["credited"],
                                                 float(x["share"]), js(x["evidence"])))),
        "passages": ("source string, target string, source_start int, source_end int, target_start int, "
                     "target_end int, kind string",
                     der_dicts.flatMap(lambda x: [(x["source"], x["target"], p["source_start"], p["source_end"],
                                                   p["target_start"], p["target_end"], p["kind"])
                                                  for p in x["passages"]])),
        # siblings: through a common source (recorded on its derivations), and two carriers
        # of one agency's copy the corpus lacks (kept apart with evidence.carried)
        "siblings": ("a string, b string, source string, shared_in_source double, agency string, share double",
                     ders.values().flatMap(_sibling_rows).union(
                         spark.sparkContext.parallelize([r for d in own_reuse or [] if not is_own_reuse(d)
                                                         for r in _sibling_rows(d)], 1))
                     .map(lambda r: ((r[0], r[1]), r)).reduceByKey(_one_sibling).values()),
        "own_reuse": ("source string, target string, share double, evidence string, passages string",
                      [(d.source, d.target, float(round(d.share, 4)), js(d.evidence.to_dict()),
                        js([p.to_dict() for p in d.passages])) for d in own_reuse or [] if is_own_reuse(d)]),
        "quote_groups": ("id string, speaker string, text string, members string, reattributed boolean",
                         [(g.id, g.speaker, g.text, js([m.to_dict() for m in g.members]), g.reattributed)
                          for g in quote_groups]),
        "stories": ("id string, storyline string, title string, articles string, origin string, first_seen string, "
                    "evidence string",
                    stories.sortByKey(numPartitions=P).values().map(lambda st: st.to_dict()).map(
                        lambda s: (s["id"], s["storyline"], s["title"], js(s["articles"]), s["origin"],
                                   s["first_seen"], js(s["evidence"])))),
        "framing": ("story string, article string, added string, omitted string, terms string, actor_changes string",
                    framing.sortByKey(numPartitions=P).flatMap(lambda kv: kv[1]).map(lambda f: f.to_dict()).map(
                        lambda f: (f["story"], f["article"], js(f["added"]), js(f["omitted"]), js(f["terms"]),
                                   js(f["actor_changes"])))),
    }
    base = output.rstrip("/")
    for name, (schema, rows) in tables.items():
        if isinstance(rows, list) and not rows:
            rows = spark.sparkContext.parallelize([], 1)
        spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(f"{base}/{name}")
