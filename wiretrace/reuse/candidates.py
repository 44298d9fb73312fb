"""Candidate pairs of documents that may share text: never all pairs.

Two paths, unioned:

1. **Jaccard path** (MinHash-LSH).  Signatures of word 5-gram shingles
   (``minhash.py``) are cut into ``bands`` bands of ``rows`` rows; two documents
   whose rows agree on a whole band share a bucket.  Buckets are found by sorting
   (band, band-hash) keys in numpy rather than with Python dicts of lists: the
   same buckets, a few uint64 arrays instead of ~4M Python objects at 100k docs.
   Finds republications and heavy rewrites.

2. **Containment path** (hash-sampled fingerprints).  A short text that took
   three paragraphs of a long one has a low Jaccard similarity but a high
   containment; LSH misses it.  Every document keeps the shingles whose hash is
   0 modulo ``sample_mod`` (the same shingles are sampled in every document, so
   shared text gives shared fingerprints); an inverted index (a sort of
   (fingerprint, doc) pairs) pairs documents sharing at least ``min_shared``
   fingerprints.  Fingerprints in more than ``max_df`` documents (boilerplate,
   much-quoted lines) are skipped, which bounds the pairs per fingerprint and
   keeps the cost near-linear in corpus size.

Each pair gets an estimated overlap: the largest of the MinHash Jaccard
estimate, the containment of the smaller document implied by that Jaccard and
the shingle counts, and the share of the smaller document's fingerprints that
the other one has.  It is a ranking hint for the aligner, not a verdict.

Everything is seeded and depends only on the texts; the pairs found do not
depend on the order of the input (apart from the indices naming the documents).
"""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from wiretrace.reuse import minhash as mh
from wiretrace.reuse.shingles import mix_hash, text_shingle_hashes

_U64 = np.uint64

# LSH banding.  128 permutations as 42 bands x 3 rows (126 used): the S-curve
# 1 - (1 - J**3)**42 has its threshold (1/b)**(1/r) ~ 0.29.  P(candidate) is
# 0.68 at J=0.3, 0.996 at J=0.5, 0.04 at J=0.1 and 0.005 at J=0.05; unrelated
# news articles share almost no 5-grams (J < 0.02), so false candidates stay rare,
# and anything with smaller Jaccard but real sharing goes through path 2.
DEFAULT_ROWS = 3

# Containment path.  Sampling 1 shingle in SAMPLE_MOD keeps a paragraph (~60-100
# words) at ~15-25 fingerprints and one copied sentence (~25 words) at ~5, so a
# patchwork's 1-3 sentences from a source still meet MIN_SHARED.
# Swept on derivations-dev (`bench/reuse_bench.py --dev DIR`; recall of the 312
# gold derivation pairs / number of candidate pairs, of 75,078 possible; max_df 20):
#   sample_mod 4:  min_shared 1: 0.997 / 2557   2: 0.994 / 1000   3: 0.971 / 756
#   sample_mod 8:  min_shared 1: 0.981 / 1775   2: 0.942 / 727    3: 0.872 / 442
#   sample_mod 16: min_shared 1: 0.923 / 1155   2: 0.792 / 362    3: 0.673 / 285
# (LSH path alone: 0.391 / 140.)  The misses are patchwork ("stitched") sources.
SAMPLE_MOD = 4
MIN_SHARED = 2
# A fingerprint in more documents than this is page furniture or a much-repeated
# quote; pairing through it is quadratic and mostly noise.  Same sweep, sample_mod
# 4, min_shared 2, max_df 8 / 20 / 100: recall 0.994 throughout, pairs 646 / 1000
# / 6545 (shared page leftovers).  20 keeps room for a source with many copies;
# full copies of a widely re-posted story also meet on the LSH path, which has
# no such cap.
MAX_DF = 20
# LSH buckets larger than this (exact duplicates of one text) are chained instead
# of fully paired: every member still gets a pair inside its cluster.
MAX_BUCKET = 100


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start index and length of every run of equal values."""
    if len(sorted_keys) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    brk = np.flatnonzero(sorted_keys[1:] != sorted_keys[:-1]) + 1
    starts = np.concatenate(([0], brk))
    lens = np.diff(np.concatenate((starts, [len(sorted_keys)])))
    return starts, lens


def group_pairs(members: np.ndarray, starts: np.ndarray, lens: np.ndarray, n_docs: int,
                 cap: int, chain_big: bool, mask: int | None = None) -> np.ndarray:
    """Pair codes ``i * n_docs + j`` (i < j) of all pairs inside each run of
    ``members`` (``& mask`` when given) with 2 <= length <= cap; longer runs are
    chained (neighbours paired) when ``chain_big`` and skipped otherwise."""
    out: list[np.ndarray] = []
    keep = lens >= 2
    starts, lens = starts[keep], lens[keep]
    for s in np.unique(lens):
        s = int(s)
        st = starts[lens == s]
        if s > cap:
            if not chain_big:
                continue
            for a in st:             # few: only exact-duplicate clusters get here
                m = members[a:a + s]
                m = (m & _U64(mask) if mask is not None else m).astype(np.int64)
                out.append(_codes(m[:-1], m[1:], n_docs))
            continue
        block = members[st[:, None] + np.arange(s)[None, :]]          # runs x s
        block = (block & _U64(mask) if mask is not None else block).astype(np.int64)
        iu, ju = np.triu_indices(s, 1)
        out.append(_codes(block[:, iu].ravel(), block[:, ju].ravel(), n_docs))
    return np.concatenate(out) if out else np.zeros(0, dtype=_U64)


def _codes(x: np.ndarray, y: np.ndarray, n_docs: int) -> np.ndarray:
    lo, hi = np.minimum(x, y), np.maximum(x, y)
    keep = lo != hi
    return (lo[keep].astype(_U64) * _U64(n_docs) + hi[keep].astype(_U64))


def whole_hash(s: np.ndarray) -> np.ndarray:
    """A hash of each signature row (uint32 or uint64 array of shape (docs,
    num_perm)): the order of members inside an LSH bucket."""
    with np.errstate(over="ignore"):
        whole = mix_hash(s[:, 0].astype(_U64))
        for c in range(1, min(s.shape[1], 8)):
            whole = mix_hash(whole ^ s[:, c].astype(_U64))
    return whole


def band_key(s: np.ndarray, bnd: int, rows: int) -> np.ndarray:
    """The bucket key of band ``bnd`` of each signature row (uint32 or uint64
    rows; columns are widened one at a time, never the whole matrix)."""
    with np.errstate(over="ignore"):
        key = mix_hash(s[:, bnd * rows].astype(_U64) ^ (_U64(bnd + 1) * _U64(0x9E3779B97F4A7C15)))
        for r in range(1, rows):
            key = mix_hash(key ^ s[:, bnd * rows + r].astype(_U64))
    return key


def sample_fingerprints(h: np.ndarray, sample_mod: int) -> np.ndarray:
    """The containment path's fingerprints of one document's shingle hashes:
    those equal to 0 modulo ``sample_mod``, deduplicated and sorted."""
    if sample_mod & (sample_mod - 1) == 0:
        sel = (h & _U64(sample_mod - 1)) == 0
    else:
        sel = (h % _U64(sample_mod)) == 0
    return np.unique(h[sel])


def lsh_pairs(sig: np.ndarray, has: np.ndarray, bands: int, rows: int) -> np.ndarray:
    n_docs = len(sig)
    docs = np.flatnonzero(has).astype(np.uint32)
    if len(docs) < 2:
        return np.zeros(0, dtype=_U64)
    s = sig[docs]
    # order of members inside a bucket: by whole-signature hash, then index,
    # so a chained big bucket does not depend on input order
    whole = whole_hash(s)
    out = []
    for bnd in range(bands):
        key = band_key(s, bnd, rows)
        order = np.lexsort((docs, whole, key))
        k = key[order]
        starts, lens = _runs(k)
        if not (lens >= 2).any():
            continue
        out.append(group_pairs(docs[order], starts, lens, n_docs, MAX_BUCKET, chain_big=True))
    return np.unique(np.concatenate(out)) if out else np.zeros(0, dtype=_U64)


def doc_bits(n_docs: int) -> int:
    return max(1, int(n_docs - 1).bit_length())


def pack_fingerprints(f: np.ndarray, doc: int, n_docs: int) -> np.ndarray:
    """``f`` (uint64 fingerprints) with their low bits replaced by ``doc``: the
    keys ``containment_pairs`` sorts.  The fingerprint keeps 64 - log2(n_docs)
    bits (47 at 100k documents: chance collisions are negligible)."""
    bits = _U64(doc_bits(n_docs))
    return ((f >> bits) << bits) | _U64(doc)


def containment_pairs(packed: list[np.ndarray], n_docs: int, min_shared: int, max_df: int
                       ) -> tuple[np.ndarray, np.ndarray]:
    """(pair codes, shared fingerprint counts) of pairs with >= min_shared shared.

    ``packed[d]`` holds document d's fingerprints as ``fp_high_bits | d``: one
    uint64 per (fingerprint, document), so one in-place sort groups fingerprints
    with their documents in order, without an index array.  Only runs of length
    >= 2 are ever materialised (most fingerprints are in one document)."""
    total = sum(len(p) for p in packed)
    if total == 0:
        return np.zeros(0, dtype=_U64), np.zeros(0, dtype=np.int64)
    keys = np.concatenate(packed)
    keys.sort()
    bits = _U64(doc_bits(n_docs))
    x = keys[1:] ^ keys[:-1]
    if not x.all():                                  # same doc, same truncated fingerprint
        keys = keys[np.concatenate(([True], x != 0))]
        x = keys[1:] ^ keys[:-1]
    x >>= bits
    idx = np.flatnonzero(x == 0)                     # keys[p] and keys[p+1] share a fingerprint
    del x
    if len(idx) == 0:
        return np.zeros(0, dtype=_U64), np.zeros(0, dtype=np.int64)
    first = np.concatenate(([True], idx[1:] != idx[:-1] + 1))
    starts = idx[first]
    lens = np.bincount(np.cumsum(first) - 1) + 1
    codes = group_pairs(keys, starts, lens, n_docs, max_df, chain_big=False,
                         mask=(1 << int(bits)) - 1)
    if len(codes) == 0:
        return codes, np.zeros(0, dtype=np.int64)
    uniq, cnt = np.unique(codes, return_counts=True)
    keep = cnt >= min_shared
    return uniq[keep], cnt[keep]


#: Below this many documents the shingles and signatures are made in this process.
PARALLEL_MIN_DOCS = 2000


def _document_part(job: tuple, bounds: tuple[int, int]):
    """Signatures, shingle counts, fingerprint counts and packed fingerprints of
    texts[bounds[0]:bounds[1]] (packed with their index in the whole list)."""
    texts, n, containment, sample_mod, num_perm, seed = job
    lo, hi = bounds
    n_docs = len(texts)
    nsh = np.zeros(hi - lo, dtype=np.int64)          # shingles per document
    nfp = np.zeros(hi - lo, dtype=np.int64)          # sampled fingerprints per document
    fps: list[np.ndarray] = []

    def shingle_stream() -> Iterator[np.ndarray]:
        for k in range(hi - lo):
            # duplicates do not change a minimum, so only the sample is deduplicated
            h = text_shingle_hashes(texts[lo + k] or "", n)
            nsh[k] = len(h)
            if containment:
                f = sample_fingerprints(h, sample_mod)
                nfp[k] = len(f)
                fps.append(pack_fingerprints(f, lo + k, n_docs))
            yield h

    sig = mh.signatures(shingle_stream(), num_perm, seed, count=hi - lo)
    return sig, nsh, nfp, fps


def keep_shared(codes: np.ndarray, cnt: np.ndarray, n_docs: int, min_shared: int,
                lenient: np.ndarray | None = None, lenient_min_shared: int | None = None) -> np.ndarray:
    """Which containment pairs (codes ``i * n_docs + j``, shared fingerprint counts)
    are candidates: ``min_shared`` fingerprints, or ``lenient_min_shared`` when
    exactly one of the two documents is flagged in ``lenient``."""
    keep = cnt >= min_shared
    if lenient is not None and lenient_min_shared is not None and len(codes):
        i = (codes // _U64(n_docs)).astype(np.int64)
        j = (codes % _U64(n_docs)).astype(np.int64)
        keep |= (cnt >= lenient_min_shared) & (lenient[i] != lenient[j])
    return keep


def candidate_pairs(texts: list[str], *, n: int = 5, num_perm: int = 128, bands: int | None = None,
                    containment: bool = True, sample_mod: int = SAMPLE_MOD,
                    min_shared: int = MIN_SHARED, max_df: int = MAX_DF,
                    seed: int = mh.SEED, workers: int = 1, lenient=None,
                    lenient_min_shared: int | None = None) -> list[tuple[int, int, float]]:
    """Unordered pairs ``(i, j, score)`` with i < j of documents likely to share
    text, sorted by (i, j).  ``score`` in [0, 1] estimates the overlap (see module
    doc).  ``bands`` defaults to ``num_perm // 3`` (3 rows a band).  ``workers``:
    processes for the shingles and signatures (each document's own; the result does
    not depend on it).  ``lenient`` (one bool a document) with ``lenient_min_shared``:
    a pair of a flagged and an unflagged document needs only that many shared
    fingerprints on the containment path (``keep_shared``)."""
    n_docs = len(texts)
    if n_docs < 2:
        return []
    if bands is None:
        bands = max(1, num_perm // DEFAULT_ROWS)
    rows = num_perm // bands
    if rows < 1:
        raise ValueError("bands must be <= num_perm")

    # shingles, fingerprints and signatures, a range of documents at a time: in forked
    # workers on larger runs (~0.3 ms an article, ~30 s of one core at 100k, was this
    # process alone); the ranges' results are put together in document order
    from wiretrace.parallel import chunks, run
    job = (texts, n, containment, sample_mod, num_perm, seed)
    nw = workers if n_docs >= PARALLEL_MIN_DOCS else 1
    sigs, nshs, nfps, fps = [], [], [], []
    for sig_part, nsh_part, nfp_part, fps_part in run(_document_part, chunks([1] * n_docs, nw), nw,
                                                       fresh=True, shared=job):
        sigs.append(sig_part)
        nshs.append(nsh_part)
        nfps.append(nfp_part)
        fps.extend(fps_part)
    sig = np.concatenate(sigs) if len(sigs) > 1 else sigs[0]
    nsh = np.concatenate(nshs)
    nfp = np.concatenate(nfps)
    del sigs
    has = nsh > 0
    codes = lsh_pairs(sig, has, bands, rows)
    shared_codes = np.zeros(0, dtype=_U64)
    shared_cnt = np.zeros(0, dtype=np.int64)
    if containment:
        lenient = None if lenient is None else np.asarray(lenient, dtype=bool)
        low = min_shared if lenient is None or lenient_min_shared is None else min(min_shared, lenient_min_shared)
        shared_codes, shared_cnt = containment_pairs(fps, n_docs, low, max_df)
        fps.clear()
        if low < min_shared:
            keep = keep_shared(shared_codes, shared_cnt, n_docs, min_shared, lenient, lenient_min_shared)
            shared_codes, shared_cnt = shared_codes[keep], shared_cnt[keep]
        codes = np.union1d(codes, shared_codes)
    if len(codes) == 0:
        return []

    ii = (codes // _U64(n_docs)).astype(np.int64)
    jj = (codes % _U64(n_docs)).astype(np.int64)
    score = np.empty(len(codes), dtype=np.float64)
    step = 65536
    for a in range(0, len(codes), step):       # bounded temporaries: step x num_perm bools
        score[a:a + step] = np.mean(sig[ii[a:a + step], :rows * bands] == sig[jj[a:a + step], :rows * bands], axis=1)
    jac = score.copy()
    small = np.maximum(1, np.minimum(nsh[ii], nsh[jj]))
    inter = jac / (1.0 + jac) * (nsh[ii] + nsh[jj])
    score = np.maximum(score, np.minimum(1.0, inter / small))
    if len(shared_codes):
        pos = np.searchsorted(codes, shared_codes)
        fsmall = np.maximum(1, np.minimum(nfp[ii[pos]], nfp[jj[pos]]))
        score[pos] = np.maximum(score[pos], np.minimum(1.0, shared_cnt / fsmall))
    score = np.round(score, 4)
    return list(zip(ii.tolist(), jj.tolist(), score.tolist()))
