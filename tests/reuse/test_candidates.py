from functools import lru_cache

import numpy as np

from wiretrace.reuse.candidates import candidate_pairs


@lru_cache(maxsize=4)
def _corpus_cached(seed, n):
    return tuple(_make(seed, n))


def _corpus(seed=11, n=200):
    return list(_corpus_cached(seed, n))


def _make(seed, n):
    """Random news-shaped texts over a Zipfian vocabulary, with one planted
    near-duplicate and one planted containment (3 paragraphs of a long text)."""
    rng = np.random.default_rng(seed)
    syl = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    vocab = sorted({"".join(rng.choice(syl, size=int(rng.integers(1, 4)))) for _ in range(6000)})
    cdf = np.cumsum(1.0 / np.arange(1, len(vocab) + 1) ** 1.1)
    cdf /= cdf[-1]

    def sentence():
        ids = np.minimum(np.searchsorted(cdf, rng.random(int(rng.integers(8, 25)))), len(vocab) - 1)
        w = [vocab[int(k)] for k in ids]
        return " ".join(w).capitalize() + "."

    def paragraph():
        return " ".join(sentence() for _ in range(int(rng.integers(3, 6))))

    def article(k):
        return [paragraph() for _ in range(k)]

    paras = [article(int(rng.integers(4, 9))) for _ in range(n)]
    texts = ["\n\n".join(ps) for ps in paras]
    # near-duplicate of doc 10: a few words changed, a leftover line added
    words = texts[10].split(" ")
    for k in rng.choice(len(words), size=len(words) // 40, replace=False):
        words[int(k)] = "zzedit"
    texts[n - 50] = "Share this story\n\n" + " ".join(words)
    # containment: a long doc 20 (12 paragraphs); doc 170 = 3 of its paragraphs + own text
    long_paras = article(14)
    texts[20] = "\n\n".join(long_paras)
    texts[n - 30] = "\n\n".join([paragraph()] + long_paras[4:7] + [paragraph()])
    return texts


def test_finds_near_duplicate_and_containment_only():
    texts = _corpus()
    pairs = candidate_pairs(texts)
    found = {(i, j): s for i, j, s in pairs}
    assert (10, 150) in found and found[(10, 150)] > 0.7
    assert (20, 170) in found and found[(20, 170)] > 0.4
    assert set(found) == {(10, 150), (20, 170)}     # no unrelated pair
    assert pairs == sorted(pairs)
    assert all(i < j and 0.0 <= s <= 1.0 for i, j, s in pairs)


def test_containment_needs_the_second_path():
    texts = _corpus()
    lsh_only = {(i, j) for i, j, _ in candidate_pairs(texts, containment=False)}
    assert (10, 150) in lsh_only
    assert (20, 170) not in lsh_only          # low Jaccard: only the containment path finds it


def test_a_flagged_document_pairs_with_an_unflagged_one_on_fewer_shared_fingerprints():
    # doc 60 takes one five-word stretch of doc 40: one shared fingerprint (all sampled)
    texts = _corpus(seed=5, n=80)
    words = texts[40].split()
    texts[60] = texts[60] + " " + " ".join(words[30:35]).strip(".") + "."

    def pairs(flags=None):
        return {(i, j) for i, j, _ in candidate_pairs(texts, sample_mod=1, min_shared=2, lenient=flags,
                                                     lenient_min_shared=1)}
    assert (40, 60) not in pairs()
    flags = np.zeros(len(texts), dtype=bool)
    flags[40] = True
    with_flag = pairs(flags)
    assert (40, 60) in with_flag and with_flag - pairs() == {(40, 60)}
    flags[60] = True                                 # both flagged: the usual count again
    assert (40, 60) not in pairs(flags)


def test_deterministic_and_order_independent():
    texts = _corpus(seed=3, n=120)
    a = candidate_pairs(texts)
    assert a == candidate_pairs(list(texts))
    perm = np.random.default_rng(5).permutation(len(texts))
    shuffled = [texts[k] for k in perm]
    b = candidate_pairs(shuffled)
    back = sorted((min(int(perm[i]), int(perm[j])), max(int(perm[i]), int(perm[j])), s) for i, j, s in b)
    assert back == a


def test_edge_cases():
    assert candidate_pairs([]) == []
    assert candidate_pairs(["one text only"]) == []
    same = "the same short text repeated in two places by two sites"
    assert candidate_pairs(["", same, "", same]) == [(1, 3, 1.0)]
    # many empty documents are never paired
    assert candidate_pairs([""] * 50) == []
