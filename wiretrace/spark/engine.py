"""The Spark driver: the local engine's stages as Spark jobs.

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
from .read import raw_doc, read_corpus
from .session import spark_session


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
    """(RDD of (hash, (order, seq, ids, doc_json, result_dict)), problems, counts)."""
    rows = read_corpus(spark, inputs, opts.max_bytes).cache()
    problems = [Problem(**json.loads(r.problem)) for r in
                rows.filter("problem IS NOT NULL").orderBy("order", "seq").select("problem").collect()]
    docs = rows.filter("doc IS NOT NULL").rdd.map(
        lambda r: (r.order, r.seq, r.doc, content_hash(raw_doc(r.doc))))
    by_id = docs.map(lambda t: (json.loads(t[2])["id"], (t[0], t[1], t[3], t[2]))).groupByKey().flatMap(
        lambda kv: _with_ids((kv[0], list(kv[1]))))
    renamed = by_id.map(lambda kv: (kv[0], (kv[1][0], kv[1][1], kv[1][2], _set_id(kv[1][3], kv[1][2]))))
    problems += [Problem(**json.loads(p)) for p in
                 by_id.filter(lambda kv: kv[1][4] is not None).sortBy(lambda kv: (kv[1][0], kv[1][1]))
                 .map(lambda kv: kv[1][4]).collect()]
    unique = renamed.groupByKey().map(lambda kv: _dedupe((kv[0], list(kv[1])))).cache()
    # Lines seen in 2+ documents, joined back to the documents that carry them.
    repeated = (unique.flatMap(_line_keys).groupByKey()
                .flatMap(lambda kv: [(h, kv[0]) for h in kv[1]] if len(set(kv[1])) >= 2 else [])
                .groupByKey().mapValues(frozenset))
    sentences = opts.sentences

    def process(kv):
        h, ((order, seq, ids, doc_js, n), rep) = kv
        o = Options(sentences=sentences)
        return (h, (order, seq, ids, doc_js, process_document(raw_doc(doc_js), rep or frozenset(), o)))

    processed = unique.leftOuterJoin(repeated).map(process)
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
